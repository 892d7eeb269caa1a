#include "http/http_routes.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/api/annotations.pb.h"

namespace compliance {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;

// The verb and path template of one rule.
std::pair<std::string, std::string> VerbAndPath(const google::api::HttpRule& rule) {
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      return {"GET", rule.get()};
    case google::api::HttpRule::kPost:
      return {"POST", rule.post()};
    case google::api::HttpRule::kPatch:
      return {"PATCH", rule.patch()};
    case google::api::HttpRule::kPut:
      return {"PUT", rule.put()};
    case google::api::HttpRule::kDelete:
      return {"DELETE", rule.delete_()};
    case google::api::HttpRule::kCustom:
      return {rule.custom().kind(), rule.custom().path()};
    default:
      return {"", ""};
  }
}

absl::StatusOr<HttpRoute> RouteOf(const MethodDescriptor& method,
                                  const google::api::HttpRule& rule) {
  auto [verb, path] = VerbAndPath(rule);
  auto parsed = PathTemplate::Parse(path);
  if (!parsed.ok()) return parsed.status();
  const auto where = [&method](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(method.full_name(), ": ", what));
  };
  if (verb.empty()) return where("a google.api.http rule without a pattern");
  for (const auto& variable : parsed->variables()) {
    const FieldDescriptor* field = FieldAtPath(*method.input_type(), variable.field_path);
    const bool text_or_integer = field && (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING ||
                                           field->cpp_type() == FieldDescriptor::CPPTYPE_INT32 ||
                                           field->cpp_type() == FieldDescriptor::CPPTYPE_INT64);
    if (!text_or_integer || field->is_repeated()) {
      return where(
          absl::StrCat("the path binds ", variable.field_path, ", not a string or integer field"));
    }
  }
  if (!rule.body().empty() && rule.body() != "*") {
    const FieldDescriptor* field = method.input_type()->FindFieldByName(rule.body());
    if (!field || field->is_repeated() || field->type() != FieldDescriptor::TYPE_MESSAGE) {
      return where(absl::StrCat("the body is ", rule.body(), ", not a message field"));
    }
  }
  return HttpRoute{std::move(verb), *std::move(parsed), rule.body(), &method};
}

}  // namespace

const FieldDescriptor* FieldAtPath(const google::protobuf::Descriptor& message,
                                   absl::string_view path) {
  const google::protobuf::Descriptor* current = &message;
  const FieldDescriptor* field = nullptr;
  for (absl::string_view name : absl::StrSplit(path, '.')) {
    if (!current) return nullptr;
    field = current->FindFieldByName(std::string(name));
    if (!field) return nullptr;
    current = field->is_repeated() ? nullptr : field->message_type();
  }
  return field;
}

absl::StatusOr<std::vector<HttpRoute>> HttpRoutesOf(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  std::vector<HttpRoute> routes;
  for (const auto* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor& method = *service->method(i);
      if (!method.options().HasExtension(google::api::http)) continue;
      const google::api::HttpRule& rule = method.options().GetExtension(google::api::http);
      auto route = RouteOf(method, rule);
      if (!route.ok()) return route.status();
      routes.push_back(*std::move(route));
      for (const auto& binding : rule.additional_bindings()) {
        auto additional = RouteOf(method, binding);
        if (!additional.ok()) return additional.status();
        routes.push_back(*std::move(additional));
      }
    }
  }
  return routes;
}

RouteMatch FindRoute(const std::vector<HttpRoute>& routes, absl::string_view verb,
                     absl::string_view path) {
  RouteMatch found;
  for (const HttpRoute& route : routes) {
    auto bindings = route.path.Match(path);
    if (!bindings) continue;
    if (route.verb != verb) {
      found.other_verb = true;
      continue;
    }
    found.route = &route;
    found.bindings = *std::move(bindings);
    return found;
  }
  return found;
}

}  // namespace compliance
