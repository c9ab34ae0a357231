// The `terrarium` command: `serve` runs the local AWS cloud; `status` asks a
// running one how it is; `env` manages its environments (accounts).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli/env_command.hpp"
#include "core/server_config.hpp"
#include "coverage_report.hpp"
#include "dispatcher.hpp"
#include "http/client.hpp"
#include "http/server.hpp"
#include "protocol/model_index.hpp"
#include "store/store.hpp"

using namespace terrarium;

namespace {

std::string default_data_dir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/terrarium";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.local/share/terrarium";
  return "./terrarium-data";
}

std::string version_line() {
  return std::string("terrarium ") + TERRARIUM_VERSION + " (botocore " + protocol::kBotocoreVersion + ")";
}

int serve(ServerConfig config) {
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  if (config.ephemeral) config.data_dir.clear();
  else if (config.data_dir.empty()) config.data_dir = default_data_dir();

  // Signals are taken by one thread with sigwait, so no worker is interrupted.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto store = store::open_store(config.data_dir);
  Dispatcher dispatcher(config, *store);
  http::ServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.threads = config.threads;
  options.tls = config.tls;
  options.tls_cert_file = config.tls_cert_file;
  options.tls_key_file = config.tls_key_file;
  options.tls_dir = config.data_dir;
  http::Server server(options, [&](http::Request& request) { return dispatcher.handle(request); });
  spdlog::info("{} listening on {}://{}:{} ({})", version_line(), config.tls ? "https" : "http",
               config.host, server.port(),
               config.ephemeral ? std::string("ephemeral") : "data in " + config.data_dir);

  std::thread signal_thread([&] {
    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("signal {}: stopping", received);
    server.stop();
  });
  server.run();
  // Wake the signal thread if run() ended for another reason.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  return 0;
}

int status(const std::string& endpoint) {
  try {
    const auto response = http::simple_request(endpoint, "GET", "/_terrarium/health", "");
    std::cout << response.body << "\n";
    return response.status == 200 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "terrarium is not reachable at " << endpoint << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Terrarium: a local AWS cloud in one binary"};
  app.set_version_flag("--version", version_line());
  app.require_subcommand(0, 1);

  ServerConfig config;
  auto* serve_cmd = app.add_subcommand("serve", "Run the server (the default)");
  serve_cmd->add_option("--host", config.host, "Address to listen on")->capture_default_str();
  serve_cmd->add_option("--port", config.port, "Port to listen on")->capture_default_str();
  serve_cmd->add_option("--data-dir", config.data_dir, "Where durable state lives (default: ~/.local/share/terrarium)");
  serve_cmd->add_flag("--ephemeral", config.ephemeral, "Keep all state in memory");
  serve_cmd->add_option("--default-account", config.default_account, "Account of callers whose key names none")
      ->capture_default_str()
      ->check([](const std::string& s) {
        return s.size() == 12 && s.find_first_not_of("0123456789") == std::string::npos
                   ? std::string()
                   : std::string("must be 12 digits");
      });
  serve_cmd->add_option("--region", config.default_region, "Region of unsigned requests")->capture_default_str();
  serve_cmd->add_flag("--verify-signatures", config.verify_signatures,
                      "Reject bad or expired SigV4 signatures and unknown keys");
  serve_cmd->add_flag("--enforce-iam", config.enforce_iam,
                      "Authorize every request by IAM policies, SCPs and resource policies "
                      "(implies --verify-signatures)");
  serve_cmd->add_option("--root-secret-key", config.root_secret_key,
                        "Secret of the built-in root keys (an account id, or \"test\") when verifying")
      ->capture_default_str();
  serve_cmd->add_flag("--tls", config.tls, "Serve HTTPS (and HTTP) with a self-signed certificate");
  serve_cmd->add_option("--tls-cert", config.tls_cert_file, "PEM certificate (implies --tls)");
  serve_cmd->add_option("--tls-key", config.tls_key_file, "PEM private key (implies --tls)");
  serve_cmd->add_option("--s3-domain", config.s3_domains, "Domain for virtual-hosted S3 buckets (<bucket>.<domain>)");
  serve_cmd->add_option("--threads", config.threads, "Worker threads (0: one per core)");
  serve_cmd->add_option("--log-level", config.log_level, "trace, debug, info, warn, error, off")
      ->capture_default_str();

  std::string endpoint = "http://127.0.0.1:4566";
  auto* status_cmd = app.add_subcommand("status", "Ask a running server how it is");
  status_cmd->add_option("--endpoint", endpoint, "The server's URL")->capture_default_str();

  cli::EnvCommand env_cmd(app);

  auto* coverage_cmd = app.add_subcommand("coverage", "Print docs/coverage.md (implemented vs. models)");

  CLI11_PARSE(app, argc, argv);
  if (*status_cmd) return status(endpoint);
  if (env_cmd.selected()) return env_cmd.run();
  if (*coverage_cmd) {
    std::cout << coverage_markdown();
    return 0;
  }
  if (!config.tls_cert_file.empty() || !config.tls_key_file.empty()) config.tls = true;
  if (config.enforce_iam) config.verify_signatures = true;
  try {
    return serve(config);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
