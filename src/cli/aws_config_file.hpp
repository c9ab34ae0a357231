#pragma once
// Editing the AWS CLI's shared files (~/.aws/credentials, ~/.aws/config) the
// way a careful human would: one section replaced or removed, every other
// byte of the file left as it was (comments, spacing, other profiles, and
// keys we do not know, such as sso_* or s3 sub-sections).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace terrarium::cli {

using IniEntries = std::vector<std::pair<std::string, std::string>>;

// The section name a profile has in each file: `prod` in credentials,
// `profile prod` in config (but `default` stays `default` there).
std::string credentials_section(std::string_view profile);
std::string config_section(std::string_view profile);

// `text` with section `section` (compared after trimming and collapsing
// blanks inside the brackets) replaced by `[section]` and `entries`, or with
// it appended when absent. Repeated sections of that name are merged into
// the first. Blank and comment lines that trail the old section stay, so the
// distance to the next section does not change.
std::string replace_ini_section(std::string_view text, std::string_view section, const IniEntries& entries);

// `text` without section `section` (and its trailing blank lines). Returns
// `text` unchanged when there is no such section.
std::string remove_ini_section(std::string_view text, std::string_view section);

// Where the files are: $AWS_SHARED_CREDENTIALS_FILE / $AWS_CONFIG_FILE, else
// ~/.aws/credentials and ~/.aws/config; a leading "~/" is expanded.
std::string credentials_file_path();
std::string config_file_path();

// Reads a file ("" when missing). Throws std::runtime_error on other errors.
std::string read_text_file(const std::string& path);
// Replaces `path` atomically (temporary file, fsync, rename), creating its
// directory when needed; the file is private to the user (0600) because it
// holds secrets.
void write_private_file(const std::string& path, std::string_view contents);

}  // namespace terrarium::cli
