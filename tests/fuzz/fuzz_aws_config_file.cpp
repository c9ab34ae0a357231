// libFuzzer target: the editor of the AWS CLI's shared files
// (cli/aws_config_file.hpp), which rewrites a user's ~/.aws/credentials and
// ~/.aws/config. A bug there destroys hand-written profiles or makes the
// AWS CLI refuse the file, so beyond "no crash" it checks what a user relies
// on, with its own small reader that finds headers the way botocore's
// configparser does:
//  - replace: the section is then there exactly once and reads back as the
//    entries written; every other section keeps its content bytes and its
//    order, and no comment outside the old section is lost; replacing again
//    changes nothing; an absent section is appended after the untouched text.
//  - remove: an absent section leaves the text as it was; a present one is
//    gone, and the other sections and comments are kept as above.
// Input: small integers from the end (how to name the section, how many
// entries), the section name and entries as strings, then the file text.
#include <optional>

#include "cli/aws_config_file.hpp"
#include "fuzz_common.hpp"

using namespace terrarium;
using terrarium::cli::IniEntries;

namespace {

std::string_view trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

// Blanks inside the brackets do not matter (botocore splits the name).
std::string normalize(std::string_view name) {
  std::string out;
  for (char c : trim(name)) {
    if (c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// A section header as botocore's configparser reads one: a line starting
// (after blanks) with '[' and holding a later ']'; the name is what lies
// between the '[' and the last ']' (so "[prod] # mine" is section "prod").
std::optional<std::string_view> raw_header_of(std::string_view line) {
  const auto t = trim(line);
  if (t.empty() || t.front() != '[') return std::nullopt;
  const auto close = t.rfind(']');
  if (close == std::string_view::npos || close < 2) return std::nullopt;
  return t.substr(1, close - 1);
}

std::optional<std::string> header_of(std::string_view line) {
  const auto raw = raw_header_of(line);
  if (!raw) return std::nullopt;
  return normalize(*raw);
}

struct Section {
  std::optional<std::string> name;  // nullopt: the lines before the first header
  std::string raw;                  // header line through the line before the next header
  std::vector<std::string_view> lines;
};

std::vector<Section> sections_of(std::string_view text) {
  std::vector<Section> out(1);
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const auto len = nl == std::string_view::npos ? text.size() : nl + 1;
    const std::string_view line = text.substr(0, len);
    text.remove_prefix(len);
    if (auto name = header_of(line)) out.push_back(Section{std::move(name), {}, {}});
    out.back().raw += line;
    out.back().lines.push_back(line);
  }
  return out;
}

bool blank_or_comment(std::string_view line) {
  const auto t = trim(line);
  return t.empty() || t.front() == '#' || t.front() == ';';
}

// How many of a section's lines are its content: up to the last line that is
// neither blank nor a comment. The rest is the spacing and the comments that
// introduce the next section, which the editor may move or drop.
size_t content_lines(const Section& section) {
  size_t n = section.lines.size();
  while (n > (section.name ? 1 : 0) && blank_or_comment(section.lines[n - 1])) --n;
  return n;
}

// The content bytes of the lines before the first header and of every
// section not named `wanted`, in order.
std::vector<std::string> others(const std::vector<Section>& sections, const std::string& wanted) {
  std::vector<std::string> out;
  for (const auto& section : sections) {
    if (section.name && *section.name == wanted) continue;
    std::string content;
    for (size_t i = 0; i < content_lines(section); ++i) content += section.lines[i];
    out.push_back(std::move(content));
  }
  return out;
}

// The comment lines the editor must keep, in order: all but those inside a
// `wanted` section's content (which replacing or removing it discards).
std::vector<std::string_view> kept_comments(const std::vector<Section>& sections, const std::string& wanted) {
  std::vector<std::string_view> out;
  for (const auto& section : sections) {
    const size_t first = section.name && *section.name == wanted ? content_lines(section) : 0;
    for (size_t i = first; i < section.lines.size(); ++i)
      if (!trim(section.lines[i]).empty() && blank_or_comment(section.lines[i])) out.push_back(section.lines[i]);
  }
  return out;
}

size_t count_named(const std::vector<Section>& sections, const std::string& wanted) {
  size_t n = 0;
  for (size_t i = 1; i < sections.size(); ++i) n += *sections[i].name == wanted;
  return n;
}

// A section's "key = value" lines, trimmed; blank and comment lines skipped.
IniEntries entries_of(const Section& section) {
  IniEntries out;
  for (size_t i = 1; i < section.lines.size(); ++i) {
    const auto t = trim(section.lines[i]);
    if (t.empty() || t.front() == '#' || t.front() == ';') continue;
    const auto eq = t.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(std::string(t), "<no '='>");
    } else {
      out.emplace_back(std::string(trim(t.substr(0, eq))), std::string(trim(t.substr(eq + 1))));
    }
  }
  return out;
}

// Control bytes and line ends made visible, for the failure reports.
std::string shown(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '\n') {
      out += "\\n\n";
    } else if (c < 0x20 || c >= 0x7f || c == '\\') {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::string without(std::string s, std::string_view chars) {
  std::erase_if(s, [&](char c) { return chars.find(c) != std::string_view::npos; });
  return s;
}

// A key the shared files can hold: one line, no delimiter, and not reading
// as a header or a comment. (The CLI only writes fixed keys.)
std::string key_from(std::string raw) {
  std::string key = without(std::move(raw), "\n\r=:");
  const auto t = trim(key);
  if (t.empty() || t.front() == '[' || t.front() == '#' || t.front() == ';') key = "k" + key;
  return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  const int naming = fdp.ConsumeIntegralInRange<int>(0, 3);
  const size_t pick = fdp.ConsumeIntegralInRange<size_t>(0, 7);
  const int entry_count = fdp.ConsumeIntegralInRange<int>(0, 4);
  // Names and values are one line without a CR (a CR before the line end
  // would turn it into a CRLF file). The CLI also refuses brackets in
  // profile names; this target does not, the editor must cope.
  std::string section = without(fdp.ConsumeRandomLengthString(40), "\r\n");
  IniEntries entries;
  for (int i = 0; i < entry_count; ++i) {
    std::string key = key_from(fdp.ConsumeRandomLengthString(24));
    std::string value = without(fdp.ConsumeRandomLengthString(48), "\r\n");
    entries.emplace_back(std::move(key), std::move(value));
  }
  const std::string text = fdp.ConsumeRemainingBytesAsString();
  const auto before = sections_of(text);
  // Most of the time, a section the text has, spelled as the text spells it
  // or with the blanks botocore ignores.
  if (naming != 0 && before.size() > 1) {
    section = std::string(*raw_header_of(before[1 + pick % (before.size() - 1)].lines[0]));
    if (naming == 2) section = "  " + section + "\t";
  }
  const std::string wanted = normalize(section);
  // A blank name is no profile name (and "[]" no header).
  if (wanted.empty()) return 0;
  if (std::getenv("TERRARIUM_FUZZ_VERBOSE"))
    std::fprintf(stderr, "[aws config] section '%s' (%zu entries)\n%s\n", shown(section).c_str(), entries.size(),
                 shown(text).c_str());

  std::string replaced;
  try {
    replaced = cli::replace_ini_section(text, section, entries);
  } catch (const std::exception& e) {
    fuzz::fail("replace_ini_section", std::string("threw: ") + e.what());
  }
  const auto after = sections_of(replaced);
  if (count_named(after, wanted) != 1)
    fuzz::fail("replace_ini_section", "the section is there " + std::to_string(count_named(after, wanted)) +
                                          " times afterwards:\n" + shown(replaced));
  IniEntries expected;
  for (const auto& [k, v] : entries) expected.emplace_back(trim(k), trim(v));
  for (size_t i = 1; i < after.size(); ++i)
    if (*after[i].name == wanted && entries_of(after[i]) != expected)
      fuzz::fail("replace_ini_section", "the section does not read back as the entries:\n" + shown(replaced));
  if (count_named(before, wanted) == 0) {
    // Appended after the text, which may only gain a line ending.
    if (replaced.compare(0, text.size(), text) != 0)
      fuzz::fail("replace_ini_section", "appending changed the existing text:\n" + shown(replaced));
  } else {
    if (others(after, wanted) != others(before, wanted))
      fuzz::fail("replace_ini_section", "other sections changed:\n" + shown(replaced));
    if (kept_comments(after, wanted) != kept_comments(before, wanted))
      fuzz::fail("replace_ini_section", "comments outside the section were lost or moved:\n" + shown(replaced));
  }
  // (Unless the text ends in a lone CR: ending that line makes it a CRLF
  // file, and the second pass then writes CRLF.)
  if (!text.ends_with('\r') && cli::replace_ini_section(replaced, section, entries) != replaced)
    fuzz::fail("replace_ini_section", "replacing twice is not replacing once:\n" + shown(replaced));

  for (const std::string* input : {&text, static_cast<const std::string*>(&replaced)}) {
    std::string removed;
    try {
      removed = cli::remove_ini_section(*input, section);
    } catch (const std::exception& e) {
      fuzz::fail("remove_ini_section", std::string("threw: ") + e.what());
    }
    const auto in = sections_of(*input);
    const auto out = sections_of(removed);
    if (count_named(in, wanted) == 0 && removed != *input)
      fuzz::fail("remove_ini_section", "removing an absent section changed the text");
    if (count_named(out, wanted) != 0) fuzz::fail("remove_ini_section", "the section is still there:\n" + shown(removed));
    if (others(out, wanted) != others(in, wanted))
      fuzz::fail("remove_ini_section", "other sections changed:\n" + shown(removed));
    if (kept_comments(out, wanted) != kept_comments(in, wanted))
      fuzz::fail("remove_ini_section", "comments outside the section were lost or moved:\n" + shown(removed));
  }
  return 0;
}
