#include "cli/aws_config_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace terrarium::cli {

namespace {

namespace fs = std::filesystem;

// Lines with their line endings, so joining them gives back the input.
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const auto len = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(0, len));
    text.remove_prefix(len);
  }
  return lines;
}

std::string_view trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

// "profile   prod" and " profile prod " name the same section for botocore.
std::string normalize_name(std::string_view name) {
  std::string out;
  bool blank = false;
  for (char c : trim(name)) {
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out.push_back(' ');
    blank = false;
    out.push_back(c);
  }
  return out;
}

// A section header as botocore (Python's configparser) reads one: after
// leading blanks, '[', then the name up to the LAST ']' of the line; what
// follows it (usually "# comment") is ignored. Seeing fewer headers than
// botocore would be harmful: replacing "prod" in a file with "[prod] # mine"
// would append a second [prod], and configparser rejects the whole file
// (DuplicateSectionError).
std::optional<size_t> header_close(std::string_view line) {
  const auto t = trim(line);
  if (t.empty() || t.front() != '[') return std::nullopt;
  const auto close = t.rfind(']');
  if (close == std::string_view::npos || close < 2) return std::nullopt;  // configparser wants a name: "[]" is none
  return static_cast<size_t>(t.data() - line.data()) + close;
}

std::optional<std::string> header_name(std::string_view line) {
  const auto close = header_close(line);
  if (!close) return std::nullopt;
  const auto open = line.find('[');
  return normalize_name(line.substr(open + 1, *close - open - 1));
}

// What follows a header's ']' on its line ("  # my account"), kept when the
// section is rewritten.
std::string_view header_suffix(std::string_view line) {
  const auto close = header_close(line);
  if (!close) return {};
  std::string_view rest = line.substr(*close + 1);
  while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r')) rest.remove_suffix(1);
  return rest;
}

bool is_blank(std::string_view line) { return trim(line).empty(); }
bool is_comment(std::string_view line) {
  const auto t = trim(line);
  return !t.empty() && (t.front() == '#' || t.front() == ';');
}

std::string_view line_ending_of(std::string_view text) {
  return text.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
}

struct SectionSpan {
  size_t header = 0;  // index of the header line
  size_t tail = 0;    // first of the trailing blank/comment lines
  size_t end = 0;     // index of the next header (or the line count)
};

std::vector<SectionSpan> find_sections(const std::vector<std::string_view>& lines, const std::string& wanted) {
  std::vector<SectionSpan> spans;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto name = header_name(lines[i]);
    if (!name || *name != wanted) continue;
    SectionSpan span{i, 0, i + 1};
    while (span.end < lines.size() && !header_name(lines[span.end])) ++span.end;
    span.tail = span.end;
    while (span.tail > i + 1 && (is_blank(lines[span.tail - 1]) || is_comment(lines[span.tail - 1]))) --span.tail;
    spans.push_back(span);
  }
  return spans;
}

// What stays of a removed section's tail: the comments that introduce the
// next section, not the blank lines that separated it from the removed one.
void append_kept_tail(std::string& out, const std::vector<std::string_view>& lines, const SectionSpan& span) {
  size_t first_comment = span.tail;
  while (first_comment < span.end && !is_comment(lines[first_comment])) ++first_comment;
  for (size_t k = first_comment; k < span.end; ++k) out += lines[k];
}

std::string render_section(std::string_view section, const IniEntries& entries, std::string_view eol,
                           std::string_view header_comment = {}) {
  std::string out = "[" + std::string(section) + "]" + std::string(header_comment) + std::string(eol);
  for (const auto& [k, v] : entries) out += k + " = " + v + std::string(eol);
  return out;
}

std::string expand_home(std::string path) {
  if (path == "~" || path.rfind("~/", 0) == 0) {
    const char* home = std::getenv("HOME");
    if (home && *home) path = std::string(home) + path.substr(1);
  }
  return path;
}

std::string default_aws_file(const char* env_name, const char* file) {
  if (const char* v = std::getenv(env_name); v && *v) return expand_home(v);
  return expand_home(std::string("~/.aws/") + file);
}

}  // namespace

std::string credentials_section(std::string_view profile) { return std::string(profile); }

std::string config_section(std::string_view profile) {
  return profile == "default" ? std::string("default") : "profile " + std::string(profile);
}

std::string replace_ini_section(std::string_view text, std::string_view section, const IniEntries& entries) {
  const auto lines = split_lines(text);
  const auto spans = find_sections(lines, normalize_name(section));
  const auto eol = line_ending_of(text);
  std::string out;
  if (spans.empty()) {
    out = std::string(text);
    if (!out.empty() && out.back() != '\n') out += eol;
    if (!lines.empty() && !is_blank(lines.back())) out += eol;
    return out + render_section(section, entries, eol);
  }
  size_t next = 0;
  for (size_t s = 0; s < spans.size(); ++s) {
    const auto& span = spans[s];
    for (; next < span.header; ++next) out += lines[next];
    if (s == 0) {
      out += render_section(section, entries, eol, header_suffix(lines[span.header]));
      for (size_t k = span.tail; k < span.end; ++k) out += lines[k];
    } else {
      append_kept_tail(out, lines, span);
    }
    next = span.end;
  }
  for (; next < lines.size(); ++next) out += lines[next];
  return out;
}

std::string remove_ini_section(std::string_view text, std::string_view section) {
  const auto lines = split_lines(text);
  const auto spans = find_sections(lines, normalize_name(section));
  if (spans.empty()) return std::string(text);
  std::string out;
  size_t next = 0;
  for (const auto& span : spans) {
    for (; next < span.header; ++next) out += lines[next];
    append_kept_tail(out, lines, span);
    next = span.end;
  }
  for (; next < lines.size(); ++next) out += lines[next];
  return out;
}

std::string credentials_file_path() { return default_aws_file("AWS_SHARED_CREDENTIALS_FILE", "credentials"); }
std::string config_file_path() { return default_aws_file("AWS_CONFIG_FILE", "config"); }

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return {};
    throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void write_private_file(const std::string& requested_path, std::string_view contents) {
  std::error_code ec;
  // Dotfiles are often symlinks into a repository: write through the link.
  std::string path = requested_path;
  if (fs::is_symlink(path, ec)) {
    path = fs::canonical(path, ec).string();
    if (ec) throw std::runtime_error("cannot resolve " + requested_path + ": " + ec.message());
  }
  ec.clear();
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) throw std::runtime_error("cannot create " + parent.string() + ": " + ec.message());
  }
  mode_t mode = 0600;
  if (struct stat st{}; ::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;

  const std::string temp = path + ".terrarium-" + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw std::runtime_error("cannot write " + temp + ": " + std::strerror(errno));
  ::fchmod(fd, mode);  // open's mode is filtered by the umask; an existing file's mode is kept as is
  size_t written = 0;
  while (written < contents.size()) {
    const auto n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      ::unlink(temp.c_str());
      throw std::runtime_error("cannot write " + temp + ": " + std::strerror(err));
    }
    written += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const int sync_errno = errno;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed) {
    ::unlink(temp.c_str());
    throw std::runtime_error("cannot write " + temp + ": " + std::strerror(synced ? errno : sync_errno));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw std::runtime_error("cannot replace " + path + ": " + std::strerror(err));
  }
}

}  // namespace terrarium::cli
