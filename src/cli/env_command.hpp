#pragma once
// `terrarium env create|list|remove`: environments are accounts of the
// running server's organization. The command is an ordinary API client
// (Organizations, STS, IAM over SigV4), so it works against any Terrarium
// (and would against AWS itself) and under --verify-signatures.
#include <optional>
#include <string>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace terrarium::cli {

struct EnvOptions {
  std::string endpoint = "http://127.0.0.1:4566";
  std::string access_key;     // else $AWS_ACCESS_KEY_ID, else "test"
  std::string secret_key;     // else $AWS_SECRET_ACCESS_KEY, else "test"
  std::string session_token;  // else $AWS_SESSION_TOKEN
  std::string region;         // else $AWS_REGION / $AWS_DEFAULT_REGION, else us-east-1
  std::string output = "text";
  std::string name;
  std::string profile;  // "" with --profile alone: the environment's name
  bool write_profile = false;
};

// Adds the `env` subcommand (and its create/list/remove) to `app`; after
// parsing, `selected()` says whether it was chosen and `run()` runs it.
class EnvCommand {
 public:
  explicit EnvCommand(CLI::App& app);
  bool selected() const;
  // The process exit status: 0, or 1 after printing why to stderr.
  int run();

 private:
  CLI::App* env_ = nullptr;
  CLI::App* create_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* remove_ = nullptr;
  CLI::Option* create_profile_ = nullptr;
  CLI::Option* remove_profile_ = nullptr;
  EnvOptions options_;
};

}  // namespace terrarium::cli
