#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "client_options.h"

// The `actions` subcommands' flag values and what each subcommand does with them, apart from
// their registration (action_command.cpp), so neither file mixes flags with RPCs.
namespace compliance::cli {

/// Flag values of the action subcommands (only one subcommand runs).
struct ActionArgs {
  std::string name;
  // add, update
  std::string requirement;
  std::string kind;
  std::string title;
  std::string description;
  std::string owner;
  std::string due;
  std::string recurrence;
  bool no_recurrence = false;
  bool evidence_required = false;
  std::string request_id;
  // list
  std::string state;
  bool overdue = false;
  int limit = 0;
  // complete, cancel
  std::vector<std::string> evidence;
  std::string note;
  std::string complete_time;
  std::string reason;
  std::string etag;
};

/// `actions add`: creates the action and prints it; returns the exit code.
int RunActionAdd(const ClientOptions& options, const ActionArgs& args);
/// `actions get`: prints one action; returns the exit code.
int RunActionGet(const ClientOptions& options, const ActionArgs& args);
/// `actions list`: prints the matching actions, soonest due first; returns the exit code.
int RunActionList(const ClientOptions& options, const ActionArgs& args);
/// `actions update`: changes the fields given on `command`'s line; returns the exit code.
int RunActionUpdate(const ClientOptions& options, const ActionArgs& args, const CLI::App& command);
/// `actions complete`: completes the action and names its successor; returns the exit code.
int RunActionComplete(const ClientOptions& options, const ActionArgs& args);
/// `actions cancel`: cancels the action with a reason; returns the exit code.
int RunActionCancel(const ClientOptions& options, const ActionArgs& args);

}  // namespace compliance::cli
