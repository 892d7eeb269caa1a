#include "store/audit_tree_store.h"

#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/errors.h"
#include "store/audit_sql.h"
#include "store/audit_store.h"
#include "store/json_rows.h"
#include "store/transaction.h"

namespace compliance {
namespace {

constexpr char kTreeSize[] = "audit_tree_size";
constexpr char kTreeSizeSql[] =
    "SELECT coalesce(max(position) + 1, 0) FROM audit_tree WHERE level = 0";

// $1 levels, $2 positions: the nodes asked for, as arrays of equal length. Each is one probe
// of the primary key, whatever the statistics say: as a plain join, a session that planned it
// while the table was small (a new log, no ANALYZE yet) kept a hash join over a sequential scan
// of the whole tree, and every seal and proof grew slower with the log (1.9 ms a seal at 20,000
// nodes, bench/README.md). OFFSET 0 keeps the subquery from being flattened into that join.
constexpr char kNodes[] = "audit_tree_nodes";
constexpr char kNodesSql[] =
    "SELECT n.level, n.position, encode(t.hash, 'hex') "
    "FROM unnest($1::smallint[], $2::bigint[]) AS n(level, position) "
    "CROSS JOIN LATERAL (SELECT hash FROM audit_tree "
    "  WHERE level = n.level AND position = n.position OFFSET 0) t";

// $1 [{level, position, hash (hex)}]
constexpr char kInsertNodes[] = "audit_tree_insert";
constexpr char kInsertNodesSql[] =
    "INSERT INTO audit_tree (level, position, hash) " AUDIT_TREE_ROWS_SQL("$1");

constexpr char kLatest[] = "audit_checkpoint_latest";
constexpr char kLatestSql[] =
    "SELECT tree_size, encode(root, 'hex'), note, ts_to_us(sign_time) FROM audit_checkpoints "
    "ORDER BY tree_size DESC LIMIT 1";

constexpr char kRecord[] = "audit_checkpoint_record";
constexpr char kRecordSql[] =
    "INSERT INTO audit_checkpoints (tree_size, root, note, sign_time) "
    "VALUES ($1, decode($2, 'hex'), $3, us_to_ts($4)) ON CONFLICT (tree_size) DO NOTHING";

std::string Unhex(const std::string& hex) { return absl::HexStringToBytes(hex); }

// "{1,2,3}": a PostgreSQL array literal of numbers.
template <typename Numbers>
std::string ArrayLiteral(const Numbers& numbers) {
  return absl::StrCat("{", absl::StrJoin(numbers, ","), "}");
}

// The tree size a request means: the one given, or the newest checkpoint's for 0.
absl::StatusOr<int64_t> ResolveSize(pqxx::transaction_base& work, const char* field,
                                    int64_t requested) {
  if (requested == 0) {
    const auto latest = AuditTreeStore::Latest(work);
    if (!latest) {
      return absl::FailedPreconditionError(
          "the audit log has no checkpoint yet: one is signed within a second of the first "
          "event");
    }
    return latest->tree_size;
  }
  const int64_t size = AuditTreeStore::TreeSize(work);
  if (requested > size) {
    return FieldError(field,
                      absl::StrCat("the tree has only ", size, " event(s), not ", requested));
  }
  return requested;
}

}  // namespace

void AuditTreeStore::Prepare(pqxx::connection& connection) {
  const std::pair<const char*, const char*> statements[] = {
      {kTreeSize, kTreeSizeSql}, {kNodes, kNodesSql},   {kInsertNodes, kInsertNodesSql},
      {kLatest, kLatestSql},     {kRecord, kRecordSql},
  };
  for (const auto& [name, text] : statements) connection.prepare(name, text);
}

int64_t AuditTreeStore::TreeSize(pqxx::transaction_base& work) {
  return work.exec_prepared1(kTreeSize)[0].as<int64_t>();
}

std::vector<std::string> AuditTreeStore::NodeHashes(pqxx::transaction_base& work,
                                                    const std::vector<TreeNode>& nodes) {
  if (nodes.empty()) return {};
  std::vector<int> levels;
  std::vector<int64_t> positions;
  for (const auto& node : nodes) {
    levels.push_back(node.level);
    positions.push_back(node.index);
  }
  std::map<TreeNode, std::string> found;
  for (const auto& row :
       work.exec_prepared(kNodes, ArrayLiteral(levels), ArrayLiteral(positions))) {
    found[TreeNode{row[0].as<int>(), row[1].as<int64_t>()}] = Unhex(row[2].as<std::string>());
  }
  std::vector<std::string> hashes;
  hashes.reserve(nodes.size());
  for (const auto& node : nodes) {
    auto it = found.find(node);
    if (it == found.end()) {
      throw TreeOutOfStep(
          absl::StrCat("audit tree: node ", node.level, "/", node.index, " is not stored"));
    }
    hashes.push_back(it->second);
  }
  return hashes;
}

std::vector<std::string> AuditTreeStore::RangeHashes(pqxx::transaction_base& work,
                                                     const std::vector<LeafRange>& ranges) {
  std::vector<TreeNode> wanted;
  std::vector<size_t> ends;  // where each range's nodes end in `wanted`
  for (const auto& range : ranges) {
    for (const auto& node : RangeNodes(range)) wanted.push_back(node);
    ends.push_back(wanted.size());
  }
  const auto node_hashes = NodeHashes(work, wanted);
  std::vector<std::string> hashes;
  size_t begin = 0;
  for (const size_t end : ends) {
    hashes.push_back(FoldRange({node_hashes.begin() + begin, node_hashes.begin() + end}));
    begin = end;
  }
  return hashes;
}

std::string AuditTreeStore::Root(pqxx::transaction_base& work, int64_t size) {
  return FoldRange(NodeHashes(work, RangeNodes({0, size})));
}

std::string AuditTreeStore::NodesJson(const std::vector<HashedNode>& nodes) {
  JsonRows rows;
  for (const auto& n : nodes) {
    rows.Row();
    rows.Number("level", n.node.level);
    rows.Number("position", n.node.index);
    rows.String("hash", absl::BytesToHexString(n.hash));
  }
  return rows.Finish();
}

int AuditTreeStore::Extend(pqxx::connection& connection, int limit) {
  pqxx::work work(connection);
  const int64_t size = TreeSize(work);
  const auto events = AuditStore::ListIn(work, size, "", limit);
  if (events.empty()) return 0;
  if (events.front().sequence != size + 1) {
    throw std::runtime_error(absl::StrCat("audit tree: event ", size + 1,
                                          " is missing from the log; cannot extend the tree"));
  }
  std::vector<std::string> leaves;
  leaves.reserve(events.size());
  for (const auto& event : events) leaves.push_back(AuditLeafHash(event));
  const auto frontier = NodeHashes(work, RangeNodes({0, size}));
  work.exec_prepared0(kInsertNodes, NodesJson(AppendLeaves(size, frontier, leaves)));
  work.commit();
  return static_cast<int>(events.size());
}

std::optional<StoredCheckpoint> AuditTreeStore::Latest(pqxx::transaction_base& work) {
  const auto rows = work.exec_prepared(kLatest);
  if (rows.empty()) return std::nullopt;
  return StoredCheckpoint{rows[0][0].as<int64_t>(), Unhex(rows[0][1].as<std::string>()),
                          rows[0][2].as<std::string>(),
                          absl::FromUnixMicros(rows[0][3].as<int64_t>())};
}

void AuditTreeStore::Record(pqxx::transaction_base& work, const StoredCheckpoint& checkpoint) {
  work.exec_prepared0(kRecord, checkpoint.tree_size, absl::BytesToHexString(checkpoint.root),
                      checkpoint.note, absl::ToUnixMicros(checkpoint.sign_time));
}

absl::StatusOr<std::optional<StoredCheckpoint>> AuditTreeStore::LatestCheckpoint(
    absl::Time deadline) {
  return RunRead(
      pool_, deadline,
      [&](pqxx::transaction_base& work) -> absl::StatusOr<std::optional<StoredCheckpoint>> {
        return Latest(work);
      });
}

absl::StatusOr<InclusionProof> AuditTreeStore::Inclusion(int64_t sequence, int64_t tree_size,
                                                         absl::Time deadline) {
  return RunRead(
      pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<InclusionProof> {
        auto size = ResolveSize(work, "tree_size", tree_size);
        if (!size.ok()) return size.status();
        if (sequence > *size) {
          return FieldError("sequence", absl::StrCat("must be at most the tree size, ", *size));
        }
        auto event = AuditStore::GetIn(work, sequence);
        if (!event) {
          return absl::NotFoundError(absl::StrCat("auditEvents/", sequence, " is not in the log"));
        }
        return InclusionProof{*std::move(event), *size,
                              RangeHashes(work, InclusionProofRanges(sequence - 1, *size))};
      });
}

absl::StatusOr<ConsistencyProof> AuditTreeStore::Consistency(int64_t first_size,
                                                             int64_t second_size,
                                                             absl::Time deadline) {
  return RunRead(
      pool_, deadline, [&](pqxx::transaction_base& work) -> absl::StatusOr<ConsistencyProof> {
        auto second = ResolveSize(work, "second_size", second_size);
        if (!second.ok()) return second.status();
        if (first_size > *second) {
          return FieldError("first_size", absl::StrCat("must be at most second_size, ", *second));
        }
        return ConsistencyProof{first_size, *second,
                                RangeHashes(work, ConsistencyProofRanges(first_size, *second))};
      });
}

}  // namespace compliance
