#include "completion.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace compliance::cli {
namespace {

// Words that may follow the command path `path`: its subcommands and its long flags.
void Collect(const CLI::App& app, const std::string& path,
             std::vector<std::pair<std::string, std::string>>& cases) {
  std::vector<std::string> words;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    words.push_back(sub->get_name());
    Collect(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), cases);
  }
  for (const CLI::Option* option : app.get_options()) {
    for (const auto& name : option->get_lnames()) words.push_back("--" + name);
  }
  cases.emplace_back(path, absl::StrJoin(words, " "));
}

}  // namespace

std::string BashCompletion(const CLI::App& app) {
  std::vector<std::pair<std::string, std::string>> cases;
  Collect(app, "", cases);
  std::string script =
      "# bash completion for compliancectl: source <(compliancectl completion bash)\n"
      "_compliancectl() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} path=\"\" word\n"
      "  # The command path so far: the words that are not flags or flag values.\n"
      "  for word in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n"
      "    case \"$word\" in -*) ;; *) [[ \" $(_compliancectl_words \"$path\") \" == *\" $word \"* "
      "]]"
      " && path=\"${path:+$path }$word\";; esac\n"
      "  done\n"
      "  COMPREPLY=($(compgen -W \"$(_compliancectl_words \"$path\")\" -- \"$cur\"))\n"
      "}\n"
      "_compliancectl_words() {\n"
      "  case \"$1\" in\n";
  for (const auto& [path, words] : cases) {
    absl::StrAppend(&script, "    \"", path, "\") echo \"", words, "\";;\n");
  }
  absl::StrAppend(&script,
                  "  esac\n"
                  "}\n"
                  "complete -F _compliancectl compliancectl\n");
  return script;
}

void AddCompletionCommand(CLI::App& app, int& exit_code) {
  auto* completion = app.add_subcommand("completion", "print a shell completion script");
  completion->require_subcommand(1);
  auto* bash = completion->add_subcommand("bash", "bash completion for every command and flag");
  bash->footer("Example: source <(compliancectl completion bash)\n");
  bash->callback([&app, &exit_code] {
    std::cout << BashCompletion(app);
    exit_code = 0;
  });
}

}  // namespace compliance::cli
