// The bounds of the contract's enums that the domain's rules check, taken from the generated
// descriptors: the domain sees no proto, and a new value needs no edit but the proto's.
#include "compliance/v1/action.pb.h"
#include "compliance/v1/evidence.pb.h"
#include "domain/action.h"
#include "domain/evidence.h"

namespace compliance {

const int kMaxActionKind = v1::ActionKind_MAX;
const int kMaxEvidenceKind = v1::EvidenceKind_MAX;

}  // namespace compliance
