#include "server/audit_checkpointer.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "domain/merkle.h"

namespace compliance {
namespace {

// The signing rate limit, and how soon a refused tree is looked at again.
constexpr absl::Duration kMinInterval = absl::Seconds(1);
constexpr absl::Duration kRetryRefused = absl::Seconds(5);
constexpr char kUnsignedOrigin[] = "compliance-status/unsigned";

}  // namespace

AuditCheckpointer::AuditCheckpointer(std::optional<NoteSigner> signer, AuditWitnessDir witness,
                                     const Clock& clock, prometheus::Registry& registry,
                                     DegradedCounts& degraded)
    : signer_(std::move(signer)),
      verifier_key_(signer_ ? signer_->VerifierKey() : ""),
      origin_(signer_ ? signer_->name() : kUnsignedOrigin),
      witness_(std::move(witness)),
      clock_(clock),
      degraded_(degraded),
      size_family_(prometheus::BuildGauge()
                       .Name("compliance_audit_checkpoint_size")
                       .Help("Tree size of the newest audit checkpoint this process signed or "
                             "trusts; it must never go down")
                       .Register(registry)),
      time_family_(prometheus::BuildGauge()
                       .Name("compliance_audit_checkpoint_timestamp_seconds")
                       .Help("When the newest audit checkpoint this process knows was signed")
                       .Register(registry)),
      refusals_(prometheus::BuildCounter()
                    .Name("compliance_audit_checkpoint_refusals_total")
                    .Help("Trees the sealer refused to sign because they are not consistent "
                          "with a checkpoint signed before (the log was rewritten or cut)")
                    .Register(registry)
                    .Add({})) {}

std::optional<AuditCheckpointer::Trusted> AuditCheckpointer::Verified(const std::string& note,
                                                                      const char* where) const {
  auto text = signer_ ? OpenNote(note, verifier_key_) : NoteText(note);
  if (!signer_ && !text.ok()) text = note;  // unsigned notes are bare bodies
  if (!text.ok()) {
    spdlog::error("audit checkpoint in {} is not signed by this server's key: {}", where,
                  std::string(text.status().message()));
    return std::nullopt;
  }
  auto checkpoint = ParseCheckpointBody(*text);
  if (!checkpoint.ok()) {
    spdlog::error("audit checkpoint in {} is malformed: {}", where,
                  std::string(checkpoint.status().message()));
    return std::nullopt;
  }
  return Trusted{checkpoint->size, checkpoint->root};
}

void AuditCheckpointer::LoadTrusted(AuditLogSession::TreeWork& work) {
  loaded_ = true;
  if (auto note = witness_.Newest()) {
    trusted_ = Verified(*note, "the witness directory");
  }
  if (!trusted_) {
    if (auto latest = work.Latest()) {
      trusted_ = Verified(latest->note, "the database");
      if (trusted_) Publish(latest->tree_size, latest->sign_time);
    }
  }
  if (trusted_) {
    spdlog::info("audit checkpoints continue from tree size {}", trusted_->size);
  }
}

void AuditCheckpointer::Refuse(const std::string& why) {
  refusals_.Increment();
  if (why != last_refusal_) spdlog::error("audit checkpoint refused: {}", why);
  last_refusal_ = why;
}

void AuditCheckpointer::Publish(int64_t size, absl::Time time) {
  if (!size_) size_ = &size_family_.Add({});
  if (!time_) time_ = &time_family_.Add({});
  size_->Set(static_cast<double>(size));
  time_->Set(absl::ToDoubleSeconds(time - absl::UnixEpoch()));
}

absl::Duration AuditCheckpointer::MaybeSign(AuditLogSession& session) {
  const absl::Time now = clock_.Now();
  if (now < next_allowed_) return next_allowed_ - now;
  const auto work = session.BeginTreeWork();
  if (!loaded_) LoadTrusted(*work);
  const int64_t size = work->Size();
  if (size == 0 || (trusted_ && size == trusted_->size)) return absl::InfiniteDuration();
  if (trusted_ && size < trusted_->size) {
    Refuse(absl::StrCat("the tree has ", size, " events, but a checkpoint of ", trusted_->size,
                        " was signed: the log was cut"));
    next_allowed_ = now + kRetryRefused;
    return kRetryRefused;
  }
  const std::string root = work->Root(size);
  if (trusted_) {
    const auto proof = work->RangeHashes(ConsistencyProofRanges(trusted_->size, size));
    if (!VerifyConsistency(trusted_->size, size, trusted_->root, root, proof)) {
      Refuse(absl::StrCat("the tree of ", size, " events is not consistent with the checkpoint of ",
                          trusted_->size, ": the log was rewritten"));
      next_allowed_ = now + kRetryRefused;
      return kRetryRefused;
    }
  }
  const std::string body = CheckpointBody({origin_, size, root});
  const std::string note = signer_ ? signer_->Sign(body) : body;
  work->Record({size, root, note, now});
  work->Commit();
  std::string error;
  if (!witness_.Append(size, note, &error)) {
    spdlog::error("audit witness: {}", error);
    degraded_.Count(DegradedPath::kWitnessWriteFailed);
  }
  trusted_ = Trusted{size, root};
  last_refusal_.clear();
  Publish(size, now);
  next_allowed_ = now + kMinInterval;
  return kMinInterval;
}

}  // namespace compliance
