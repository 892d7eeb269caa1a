#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "compliance/v1/action.grpc.pb.h"
#include "compliance/v1/requirement.grpc.pb.h"
#include "field_errors.h"
#include "server_process.h"
#include "test_database.h"

namespace compliance::testing {
namespace {

using google::protobuf::util::TimeUtil;

class ActionApiTest : public ::testing::Test {
 protected:
  static v1::CreateActionRequest Valid(int64_t due_offset_seconds) {
    v1::CreateActionRequest request;
    auto* a = request.mutable_action();
    a->set_requirement("frameworks/iso27001-2022/requirements/5.1.a");
    a->set_kind(v1::ACTION_KIND_POLICY_APPROVAL);
    a->set_title("Sign the information security policy");
    a->set_owner("ceo@example.com");
    *a->mutable_due_time() =
        TimeUtil::GetCurrentTime() + TimeUtil::SecondsToDuration(due_offset_seconds);
    return request;
  }
  grpc::Status Create(const v1::CreateActionRequest& request, v1::LeadershipAction* out) {
    grpc::ClientContext context;
    v1::CreateActionResponse response;
    const grpc::Status status = stub_->CreateAction(&context, request, &response);
    *out = response.action();
    return status;
  }

  TestDatabase db_;
  ServerProcess server_{db_.url()};
  std::unique_ptr<v1::ActionService::Stub> stub_ = v1::ActionService::NewStub(server_.Channel());
};

TEST_F(ActionApiTest, OverdueActionsShowInTheActionAndTheRequirement) {
  v1::LeadershipAction late, upcoming;
  ASSERT_TRUE(Create(Valid(-60), &late).ok());
  ASSERT_TRUE(Create(Valid(3600), &upcoming).ok());
  EXPECT_TRUE(late.overdue());
  EXPECT_FALSE(upcoming.overdue());
  EXPECT_EQ(late.state(), v1::ACTION_STATE_OPEN);

  auto requirements = v1::RequirementService::NewStub(server_.Channel());
  grpc::ClientContext context;
  v1::GetRequirementRequest get;
  get.set_name("frameworks/iso27001-2022/requirements/5.1.a");
  v1::GetRequirementResponse requirement;
  ASSERT_TRUE(requirements->GetRequirement(&context, get, &requirement).ok());
  EXPECT_EQ(requirement.requirement().open_action_count(), 2);
  EXPECT_EQ(requirement.requirement().overdue_action_count(), 1);

  grpc::ClientContext list_context;
  v1::ListActionsRequest list;
  list.set_overdue_only(true);
  v1::ListActionsResponse listed;
  ASSERT_TRUE(stub_->ListActions(&list_context, list, &listed).ok());
  ASSERT_EQ(listed.actions_size(), 1);
  EXPECT_EQ(listed.actions(0).name(), late.name());
}

TEST_F(ActionApiTest, BadInputNamesTheField) {
  v1::LeadershipAction out;
  auto request = Valid(60);
  request.mutable_action()->clear_owner();
  ExpectField(Create(request, &out), grpc::StatusCode::INVALID_ARGUMENT, "action.owner");
  request = Valid(60);
  request.mutable_action()->clear_due_time();
  ExpectField(Create(request, &out), grpc::StatusCode::INVALID_ARGUMENT, "action.due_time");
  request = Valid(60);
  request.mutable_action()->mutable_recurrence()->set_seconds(3600);
  ExpectField(Create(request, &out), grpc::StatusCode::INVALID_ARGUMENT, "action.recurrence");
  request = Valid(60);
  request.mutable_action()->set_kind(v1::ACTION_KIND_UNSPECIFIED);
  ExpectField(Create(request, &out), grpc::StatusCode::INVALID_ARGUMENT, "action.kind");
  request = Valid(60);
  request.mutable_action()->set_requirement("frameworks/iso27001-2022/requirements/5.1.z");
  ExpectField(Create(request, &out), grpc::StatusCode::NOT_FOUND, "action.requirement");

  grpc::ClientContext context;
  v1::CancelActionRequest cancel;
  cancel.set_name("actions/00000000-0000-4000-8000-000000000000");
  v1::CancelActionResponse cancelled;
  ExpectField(stub_->CancelAction(&context, cancel, &cancelled), grpc::StatusCode::INVALID_ARGUMENT,
              "reason");
}

TEST_F(ActionApiTest, TransitionsThatAreNotAllowedAreFailedPrecondition) {
  auto request = Valid(3600);
  request.mutable_action()->set_evidence_required(true);
  v1::LeadershipAction action;
  ASSERT_TRUE(Create(request, &action).ok());
  {
    grpc::ClientContext context;
    v1::CompleteActionRequest complete;
    complete.set_name(action.name());
    v1::CompleteActionResponse response;
    EXPECT_EQ(stub_->CompleteAction(&context, complete, &response).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  {
    grpc::ClientContext context;
    v1::CancelActionRequest cancel;
    cancel.set_name(action.name());
    cancel.set_reason("superseded by the board's decision");
    v1::CancelActionResponse response;
    ASSERT_TRUE(stub_->CancelAction(&context, cancel, &response).ok());
    EXPECT_EQ(response.action().state(), v1::ACTION_STATE_CANCELLED);
    EXPECT_FALSE(response.action().overdue());
  }
  {
    grpc::ClientContext context;
    v1::UpdateActionRequest update;
    update.mutable_action()->set_name(action.name());
    update.mutable_action()->set_title("New title");
    update.mutable_update_mask()->add_paths("title");
    v1::UpdateActionResponse response;
    EXPECT_EQ(stub_->UpdateAction(&context, update, &response).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
}

TEST_F(ActionApiTest, UpdateChecksTheEtagAndTheMask) {
  v1::LeadershipAction action;
  ASSERT_TRUE(Create(Valid(3600), &action).ok());
  v1::UpdateActionRequest update;
  update.mutable_action()->set_name(action.name());
  update.mutable_action()->set_owner("cfo@example.com");
  update.mutable_update_mask()->add_paths("owner");
  update.set_etag(action.etag());
  v1::UpdateActionResponse response;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->UpdateAction(&context, update, &response).ok());
    EXPECT_EQ(response.action().owner(), "cfo@example.com");
  }
  {
    grpc::ClientContext context;
    EXPECT_EQ(stub_->UpdateAction(&context, update, &response).error_code(),
              grpc::StatusCode::ABORTED);
  }
  update.clear_etag();
  update.mutable_update_mask()->add_paths("state");
  grpc::ClientContext context;
  ExpectField(stub_->UpdateAction(&context, update, &response), grpc::StatusCode::INVALID_ARGUMENT,
              "update_mask");
}

}  // namespace
}  // namespace compliance::testing
