#include "api/audit_watch_stream.h"

#include <utility>

namespace compliance {

void AuditWatchStream::Begin() {
  {
    absl::MutexLock lock(&mutex_);
    started_ = true;
    writing_ = true;       // the headers count as the write in flight
    table_wanted_ = true;  // and the replay as a table read: memory waits for it
  }
  StartSendInitialMetadata();
}

bool AuditWatchStream::started() {
  absl::MutexLock lock(&mutex_);
  return started_;
}

int64_t AuditWatchStream::cursor() {
  absl::MutexLock lock(&mutex_);
  return cursor_;
}

bool AuditWatchStream::Idle() {
  absl::MutexLock lock(&mutex_);
  return started_ && !ending() && !writing_ && pending_.empty() && !table_wanted_;
}

void AuditWatchStream::Pump(bool may_read_table) {
  Next next;
  bool want_table = false;
  {
    absl::MutexLock lock(&mutex_);
    if (!started_ || ending() || writing_ || table_wanted_) return;
    if (pending_.empty()) {
      auto recent = owner_.feed().RecentAfter(cursor_, kWatchBatch);
      if (!recent && !may_read_table) return;
      if (recent) {
        Take(std::move(*recent));
      } else {
        table_wanted_ = want_table = true;
      }
    }
    if (!want_table) next = WriteNext();
  }
  // The owner's queue has a lock of its own: asked outside this one.
  if (want_table) {
    owner_.WantTable(shared_from_this());
    return;
  }
  Run(std::move(next));
}

void AuditWatchStream::Poll() {
  {
    absl::MutexLock lock(&mutex_);
    if (!started_ || ending() || writing_ || table_wanted_ || !pending_.empty()) return;
    table_wanted_ = true;
  }
  owner_.WantTable(shared_from_this());
}

void AuditWatchStream::Deliver(std::vector<WatchMessage> messages) {
  const bool none = messages.empty();
  Next next;
  {
    absl::MutexLock lock(&mutex_);
    table_wanted_ = false;
    if (ending()) return;
    if (!none) {
      Take(std::move(messages));
      if (!writing_) next = WriteNext();
    }
  }
  if (none) {
    Pump(/*may_read_table=*/false);
    return;
  }
  Run(std::move(next));
}

void AuditWatchStream::End(grpc::Status status) {
  Next next;
  {
    absl::MutexLock lock(&mutex_);
    if (ending()) return;
    end_ = std::move(status);
    if (!writing_) next = FinishNow();
  }
  Run(std::move(next));
}

void AuditWatchStream::OnWriteDone(bool ok) {
  Next next;
  {
    absl::MutexLock lock(&mutex_);
    writing_ = false;
    // A failed write means the call is over (the client went away); nobody reads the status.
    if (!ok && !end_) end_ = grpc::Status::OK;
    if (end_) {
      next = FinishNow();
    } else if (!pending_.empty()) {
      next = WriteNext();
    } else {
      next.pump = true;
    }
  }
  if (next.pump) {
    Pump();
    return;
  }
  Run(std::move(next));
}

void AuditWatchStream::OnCancel() {
  End(grpc::Status(grpc::StatusCode::CANCELLED, "watch cancelled"));
}

void AuditWatchStream::Take(std::vector<WatchMessage> messages) {
  for (auto& message : messages) pending_.push_back(std::move(message));
  if (!pending_.empty()) cursor_ = pending_.back().sequence;
}

AuditWatchStream::Next AuditWatchStream::WriteNext() {
  Next next;
  if (pending_.empty()) return next;
  in_flight_ = std::move(pending_.front());
  pending_.pop_front();
  writing_ = true;
  next.write.emplace();
  if (!pending_.empty()) next.write->set_buffer_hint();
  return next;
}

AuditWatchStream::Next AuditWatchStream::FinishNow() {
  Next next;
  if (finished_) return next;
  finished_ = true;
  next.finish = *end_;
  pending_.clear();
  return next;
}

void AuditWatchStream::Run(Next next) {
  if (next.write) StartWrite(&in_flight_.bytes, *next.write);
  if (next.finish) Finish(*next.finish);
}

}  // namespace compliance
