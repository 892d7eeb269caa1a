#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace compliance {

/// Service accounts of an OpenID Connect identity provider (Entra ID, Okta, Keycloak): their
/// JWTs are accepted beside the API tokens when `issuer` is set.
struct OidcConfig {
  std::string issuer;    ///< `iss` of the tokens; empty: no JWTs
  std::string audience;  ///< `aud` the tokens must name (this service)
  std::string jwks_uri;  ///< the key set; empty: from {issuer}/.well-known/openid-configuration
  std::string roles_claim = "roles";                 ///< claim (or dotted path) of roles or groups
  std::vector<std::string> role_map;                 ///< "claim value=role"; empty: the role names
  std::string sources_claim = "compliance_sources";  ///< the sources an integrator may write
  double jwks_refresh_seconds = 600;                 ///< keys older than this are fetched anew
  double jwks_min_interval_seconds = 10;             ///< least time between two fetches of the keys
};

/// Everything the server reads from flags and environment, read once at start-up.
struct Config {
  std::string database_url;
  std::string listen = "127.0.0.1:50051";
  std::string metrics_listen = "127.0.0.1:9464";
  std::string http_listen = "127.0.0.1:8080";  ///< REST/JSON address; empty: no HTTP listener
  int http_threads = 64;                       ///< SSE streams served at once (a thread each)
  int pool_size = 16;  // measured: 16 concurrent writers commit together (bench/README.md)
  double pool_timeout_seconds = 5;
  double drain_timeout_seconds = 10;
  double shutdown_delay_seconds = 2;
  double health_interval_seconds = 1;
  double metrics_cache_seconds = 5;  ///< how long a compliance snapshot serves scrapes
  std::string log_level = "info";
  double idempotency_retention_days = 7;
  bool migrate_on_start = true;
  std::string tls_cert;           ///< PEM server certificate chain; TLS when set
  std::string tls_key;            ///< PEM private key of tls_cert
  std::string tls_client_ca;      ///< PEM CA bundle; when set, clients need a certificate it signed
  bool no_auth = false;           ///< accept calls without a token (development only)
  std::string audit_signing_key;  ///< file with the Ed25519 key that signs checkpoints
  bool allow_unsigned_audit = false;       ///< serve without one (checkpoints carry no signature)
  std::string audit_witness_dir;           ///< append-only directory receiving every checkpoint
  bool allow_insecure_webhooks = false;    ///< http webhook URLs to loopback hosts (tests, dev)
  double webhook_timeout_seconds = 10;     ///< to connect, and for each read and write
  double webhook_lease_seconds = 30;       ///< a replica's claim on a subscription, unrenewed
  double webhook_retry_min_seconds = 1;    ///< the first retry's delay (doubling, jittered)
  double webhook_retry_max_seconds = 600;  ///< the retry delay's ceiling
  double webhook_pause_after_seconds = 86400;  ///< failing this long pauses a subscription
  std::string webhook_ca_file;                 ///< PEM bundle for receivers; empty: the system's
  OidcConfig oidc;
};

/// Registers the flags shared by every subcommand, each with its environment variable.
void AddServerFlags(CLI::App& app, Config& config);

}  // namespace compliance
