#include "config.h"

#include <cstdlib>

namespace compliance {
namespace {

// Where the server and its database are, and how many connections it holds.
void AddConnectionFlags(CLI::App& app, Config& config) {
  app.add_option("--database-url", config.database_url,
                 "PostgreSQL connection URL or key=value string")
      ->envname("DATABASE_URL");
  app.add_option("--listen", config.listen, "gRPC address; port 0 picks a free port")
      ->envname("COMPLIANCE_LISTEN")
      ->capture_default_str();
  app.add_option("--metrics-listen", config.metrics_listen, "Prometheus /metrics address")
      ->envname("COMPLIANCE_METRICS_LISTEN")
      ->capture_default_str();
  // CLI11 takes an empty variable for an unset one; an empty COMPLIANCE_HTTP_LISTEN means off.
  if (const char* http = std::getenv("COMPLIANCE_HTTP_LISTEN"); http && *http == '\0') {
    config.http_listen.clear();
  }
  app.add_option("--http-listen", config.http_listen,
                 "REST/JSON address (HTTP/1.1, TLS as gRPC); port 0 picks a free port; empty: "
                 "no HTTP listener")
      ->envname("COMPLIANCE_HTTP_LISTEN")
      ->capture_default_str();
  app.add_option("--http-threads", config.http_threads,
                 "event streams served at once, each on a thread of its own")
      ->envname("COMPLIANCE_HTTP_THREADS")
      ->check(CLI::Range(2, 4096))
      ->capture_default_str();
  app.add_option("--pool-size", config.pool_size, "PostgreSQL connections in the pool")
      ->envname("COMPLIANCE_POOL_SIZE")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--pool-timeout", config.pool_timeout_seconds,
                 "seconds an RPC waits for a pooled connection before UNAVAILABLE")
      ->envname("COMPLIANCE_POOL_TIMEOUT")
      ->check(CLI::Range(0.01, 600.0))
      ->capture_default_str();
}

// How the server starts, drains, probes, caches and forgets.
void AddLifecycleFlags(CLI::App& app, Config& config) {
  app.add_option("--drain-timeout", config.drain_timeout_seconds,
                 "seconds in-flight calls may finish after SIGTERM")
      ->envname("COMPLIANCE_DRAIN_TIMEOUT")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  app.add_option("--shutdown-delay", config.shutdown_delay_seconds,
                 "seconds health reports NOT_SERVING before new calls are refused on SIGTERM")
      ->envname("COMPLIANCE_SHUTDOWN_DELAY")
      ->check(CLI::Range(0.0, 300.0))
      ->capture_default_str();
  app.add_option("--health-interval", config.health_interval_seconds,
                 "seconds between database health probes")
      ->envname("COMPLIANCE_HEALTH_INTERVAL")
      ->check(CLI::Range(0.05, 2.0))
      ->capture_default_str();
  app.add_option("--metrics-cache", config.metrics_cache_seconds,
                 "seconds one compliance snapshot answers /metrics scrapes (0: query each time)")
      ->envname("COMPLIANCE_METRICS_CACHE")
      ->check(CLI::Range(0.0, 300.0))
      ->capture_default_str();
  app.add_option("--idempotency-retention-days", config.idempotency_retention_days,
                 "days a request_id is remembered for safe retries (at least 7)")
      ->envname("COMPLIANCE_IDEMPOTENCY_RETENTION_DAYS")
      ->check(CLI::Range(7.0, 3650.0))
      ->capture_default_str();
  app.add_option("--log-level", config.log_level, "trace, debug, info, warn, error")
      ->envname("COMPLIANCE_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
}

// Transport security and authentication.
void AddSecurityFlags(CLI::App& app, Config& config) {
  auto* cert = app.add_option("--tls-cert", config.tls_cert, "PEM server certificate: serve TLS")
                   ->envname("COMPLIANCE_TLS_CERT")
                   ->check(CLI::ExistingFile);
  auto* key = app.add_option("--tls-key", config.tls_key, "PEM private key of --tls-cert")
                  ->envname("COMPLIANCE_TLS_KEY")
                  ->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);
  app.add_option("--tls-client-ca", config.tls_client_ca,
                 "PEM CA bundle: require client certificates it signed (mutual TLS)")
      ->envname("COMPLIANCE_TLS_CLIENT_CA")
      ->check(CLI::ExistingFile)
      ->needs(cert);
  app.add_flag("--no-auth", config.no_auth,
               "accept calls without a token (development only; logs a warning)")
      ->envname("COMPLIANCE_NO_AUTH");
}

// The audit log's signing key and witness.
void AddAuditFlags(CLI::App& app, Config& config) {
  app.add_option("--audit-signing-key", config.audit_signing_key,
                 "file with the Ed25519 key that signs audit checkpoints (compliance-server "
                 "audit-key create); it never enters the database")
      ->envname("COMPLIANCE_AUDIT_SIGNING_KEY");
  app.add_flag("--allow-unsigned-audit", config.allow_unsigned_audit,
               "serve without an audit signing key: checkpoints carry no signature (logs a "
               "warning)")
      ->envname("COMPLIANCE_ALLOW_UNSIGNED_AUDIT");
  app.add_option("--audit-witness-dir", config.audit_witness_dir,
                 "append-only directory (a WORM mount, a synced bucket) that receives every "
                 "signed checkpoint")
      ->envname("COMPLIANCE_AUDIT_WITNESS_DIR")
      ->check(CLI::ExistingDirectory);
}

// The identity provider whose service accounts' JWTs are accepted beside the API tokens.
void AddOidcFlags(CLI::App& app, OidcConfig& oidc) {
  auto* issuer = app.add_option("--oidc-issuer", oidc.issuer,
                                "accept JWTs of this OpenID Connect issuer (its `iss`), beside "
                                "API tokens; https, or http on loopback")
                     ->envname("COMPLIANCE_OIDC_ISSUER");
  auto* audience = app.add_option("--oidc-audience", oidc.audience,
                                  "the audience (`aud`) the issuer's tokens must name")
                       ->envname("COMPLIANCE_OIDC_AUDIENCE");
  issuer->needs(audience);
  audience->needs(issuer);
  app.add_option("--oidc-jwks-uri", oidc.jwks_uri,
                 "the issuer's key set (default: jwks_uri of its "
                 "/.well-known/openid-configuration)")
      ->envname("COMPLIANCE_OIDC_JWKS_URI")
      ->needs(issuer);
  app.add_option("--oidc-roles-claim", oidc.roles_claim,
                 "claim holding roles or groups; a dotted name reaches into objects "
                 "(realm_access.roles)")
      ->envname("COMPLIANCE_OIDC_ROLES_CLAIM")
      ->capture_default_str();
  app.add_option("--oidc-role-map", oidc.role_map,
                 "CLAIM_VALUE=ROLE, comma-separated or repeated (ROLE: viewer, integrator, "
                 "editor, admin); default: the claim holds the role names")
      ->envname("COMPLIANCE_OIDC_ROLE_MAP")
      ->delimiter(',');
  app.add_option("--oidc-sources-claim", oidc.sources_claim,
                 "claim listing the evidence sources an integrator's token may write "
                 "(absent: any)")
      ->envname("COMPLIANCE_OIDC_SOURCES_CLAIM")
      ->capture_default_str();
  app.add_option("--oidc-jwks-refresh", oidc.jwks_refresh_seconds,
                 "seconds after which the issuer's keys are fetched anew")
      ->envname("COMPLIANCE_OIDC_JWKS_REFRESH")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  app.add_option("--oidc-jwks-min-interval", oidc.jwks_min_interval_seconds,
                 "least seconds between two fetches of the keys (a token naming an unknown "
                 "key fetches them again, no sooner)")
      ->envname("COMPLIANCE_OIDC_JWKS_MIN_INTERVAL")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
}

// Webhook deliveries: what receivers may be, how long they get, how failures are retried.
void AddWebhookFlags(CLI::App& app, Config& config) {
  app.add_flag("--allow-insecure-webhooks", config.allow_insecure_webhooks,
               "accept http:// webhook URLs to loopback hosts (development and tests)")
      ->envname("COMPLIANCE_ALLOW_INSECURE_WEBHOOKS");
  app.add_option("--webhook-timeout", config.webhook_timeout_seconds,
                 "seconds a webhook receiver gets to connect, and for each read and write")
      ->envname("COMPLIANCE_WEBHOOK_TIMEOUT")
      ->check(CLI::Range(0.1, 300.0))
      ->capture_default_str();
  app.add_option("--webhook-lease", config.webhook_lease_seconds,
                 "seconds a replica's claim on a subscription lasts unrenewed; another replica "
                 "takes over after it lapses")
      ->envname("COMPLIANCE_WEBHOOK_LEASE")
      ->check(CLI::Range(0.5, 3600.0))
      ->capture_default_str();
  app.add_option("--webhook-retry-min", config.webhook_retry_min_seconds,
                 "seconds before the first retry of a failed delivery (then doubling, jittered)")
      ->envname("COMPLIANCE_WEBHOOK_RETRY_MIN")
      ->check(CLI::Range(0.01, 3600.0))
      ->capture_default_str();
  app.add_option("--webhook-retry-max", config.webhook_retry_max_seconds,
                 "the longest wait between retries, in seconds (a Retry-After may ask for more)")
      ->envname("COMPLIANCE_WEBHOOK_RETRY_MAX")
      ->check(CLI::Range(0.01, 86400.0))
      ->capture_default_str();
  app.add_option("--webhook-pause-after", config.webhook_pause_after_seconds,
                 "seconds of failing deliveries after which a subscription is paused")
      ->envname("COMPLIANCE_WEBHOOK_PAUSE_AFTER")
      ->check(CLI::Range(0.0, 30.0 * 86400))
      ->capture_default_str();
  app.add_option("--webhook-ca-file", config.webhook_ca_file,
                 "PEM CA bundle that https webhook receivers must chain to (default: the "
                 "system's)")
      ->envname("COMPLIANCE_WEBHOOK_CA_FILE")
      ->check(CLI::ExistingFile);
}

}  // namespace

void AddServerFlags(CLI::App& app, Config& config) {
  AddConnectionFlags(app, config);
  AddLifecycleFlags(app, config);
  AddSecurityFlags(app, config);
  AddAuditFlags(app, config);
  AddOidcFlags(app, config.oidc);
  AddWebhookFlags(app, config);
}

}  // namespace compliance
