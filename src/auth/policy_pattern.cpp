#include "auth/policy_pattern.hpp"

#include <algorithm>

#include "core/ascii.hpp"

namespace terrarium::auth {

namespace {

// Wildcards in flat pattern text. Policies practically never hold these
// control bytes; a pattern that does is matched token by token instead.
constexpr char kStarMark = '\x01';
constexpr char kOneMark = '\x02';

bool has_marks(std::string_view s) {
  return s.find(kStarMark) != std::string_view::npos || s.find(kOneMark) != std::string_view::npos;
}

// Greedy matching with backtracking to the last star: linear for the
// patterns policies use.
bool flat_glob(std::string_view pattern, std::string_view subject, bool ignore_case) {
  size_t p = 0, s = 0;
  size_t star = std::string_view::npos, star_subject = 0;
  while (s < subject.size()) {
    if (p < pattern.size()) {
      const char c = pattern[p];
      if (c == kStarMark) {
        star = ++p;
        star_subject = s;
        continue;
      }
      if (c == kOneMark || c == subject[s] || (ignore_case && ascii_lower(c) == ascii_lower(subject[s]))) {
        ++p;
        ++s;
        continue;
      }
    }
    if (star == std::string_view::npos) return false;
    p = star;
    s = ++star_subject;
  }
  while (p < pattern.size() && pattern[p] == kStarMark) ++p;
  return p == pattern.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The end of a "${...}" that starts at `open` (the '$'), honouring a quoted
// default value ('It''s'); npos when it never closes.
size_t variable_end(std::string_view text, size_t open) {
  bool quoted = false;
  for (size_t i = open + 2; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\'') {
        if (i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;
        } else {
          quoted = false;
        }
      }
    } else if (c == '\'') {
      quoted = true;
    } else if (c == '}') {
      return i;
    }
  }
  return std::string_view::npos;
}

// "key" or "key, 'default'" (quotes doubled inside). False when malformed, in
// which case the text stays literal.
bool parse_variable(std::string_view inner, std::string_view& key, bool& has_default,
                    std::string& default_value) {
  const auto comma = inner.find(',');
  key = trim(inner.substr(0, comma));
  if (key.empty() || key.find_first_of(" \t'") != std::string_view::npos) return false;
  has_default = comma != std::string_view::npos;
  if (!has_default) return true;
  std::string_view rest = trim(inner.substr(comma + 1));
  if (rest.size() < 2 || rest.front() != '\'' || rest.back() != '\'') return false;
  rest = rest.substr(1, rest.size() - 2);
  default_value.clear();
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '\'') {
      if (i + 1 < rest.size() && rest[i + 1] == '\'') {
        ++i;
      } else {
        return false;
      }
    }
    default_value.push_back(rest[i]);
  }
  return true;
}

}  // namespace

Pattern Pattern::compile(std::string_view text, PatternOptions options) {
  Pattern p;
  p.source_ = std::string(text);
  p.ignore_case_ = options.ignore_case;
  auto add_char = [&](char c) {
    if (p.tokens_.empty() || p.tokens_.back().kind != TokenKind::kLiteral)
      p.tokens_.push_back({TokenKind::kLiteral, static_cast<uint32_t>(p.text_.size()), 0});
    p.text_.push_back(options.ignore_case ? ascii_lower(c) : c);
    ++p.tokens_.back().size;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (options.variables && c == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const size_t close = variable_end(text, i);
      if (close != std::string_view::npos) {
        const std::string_view inner = text.substr(i + 2, close - i - 2);
        if (inner == "*" || inner == "?" || inner == "$") {
          add_char(inner[0]);  // ${*} ${?} ${$}: the character itself, never a wildcard
          i = close;
          continue;
        }
        std::string_view key;
        Variable var;
        if (parse_variable(inner, key, var.has_default, var.default_value)) {
          var.key = compile_context_key(key);
          p.tokens_.push_back({TokenKind::kVariable, static_cast<uint32_t>(p.variables_.size()), 0});
          p.variables_.push_back(std::move(var));
          i = close;
          continue;
        }
      }
    }
    if (options.wildcards && c == '*') {
      if (p.tokens_.empty() || p.tokens_.back().kind != TokenKind::kStar)
        p.tokens_.push_back({TokenKind::kStar, 0, 0});
    } else if (options.wildcards && c == '?') {
      p.tokens_.push_back({TokenKind::kQuestion, 0, 0});
    } else {
      add_char(c);
    }
  }
  const auto& t = p.tokens_;
  if (t.size() == 1 && t[0].kind == TokenKind::kStar) {
    p.kind_ = Kind::kAny;
  } else if (t.empty() || (t.size() == 1 && t[0].kind == TokenKind::kLiteral)) {
    p.kind_ = Kind::kLiteral;
  } else if (t.size() == 2 && t[0].kind == TokenKind::kLiteral && t[1].kind == TokenKind::kStar) {
    p.kind_ = Kind::kPrefix;
  } else if (has_marks(p.text_)) {
    p.kind_ = Kind::kGeneral;
  } else if (p.variables_.empty()) {
    p.kind_ = Kind::kGlob;
    for (const Token& tok : t) {
      if (tok.kind == TokenKind::kStar) {
        p.flat_.push_back(kStarMark);
      } else if (tok.kind == TokenKind::kQuestion) {
        p.flat_.push_back(kOneMark);
      } else {
        p.flat_.append(p.text_, tok.begin, tok.size);
      }
    }
  } else {
    p.kind_ = Kind::kVariables;
  }
  return p;
}

bool Pattern::matches(std::string_view subject, const RequestContext* ctx) const {
  switch (kind_) {
    case Kind::kAny: return true;
    case Kind::kLiteral:
      if (!ignore_case_) return subject == std::string_view(text_);
      if (subject.size() != text_.size()) return false;
      for (size_t i = 0; i < subject.size(); ++i)
        if (ascii_lower(subject[i]) != text_[i]) return false;
      return true;
    case Kind::kPrefix: {
      if (subject.size() < text_.size()) return false;
      if (!ignore_case_) return subject.compare(0, text_.size(), text_) == 0;
      for (size_t i = 0; i < text_.size(); ++i)
        if (ascii_lower(subject[i]) != text_[i]) return false;
      return true;
    }
    case Kind::kGlob: return flat_glob(flat_, subject, ignore_case_);
    case Kind::kVariables: return match_variables(subject, ctx);
    case Kind::kGeneral: return match_general(subject, ctx);
  }
  return false;
}

bool Pattern::match_variables(std::string_view subject, const RequestContext* ctx) const {
  // Renders the pattern with the request's values into a stack buffer (the
  // heap only for a pattern longer than it), then matches the flat text.
  char inline_buffer[512];
  std::string heap;
  char* out = inline_buffer;
  size_t capacity = sizeof inline_buffer;
  size_t size = 0;
  auto append = [&](std::string_view piece) {
    if (size + piece.size() > capacity) {
      heap.assign(out, size);
      heap.resize(std::max(capacity * 2, size + piece.size()));
      out = heap.data();
      capacity = heap.size();
    }
    std::copy(piece.begin(), piece.end(), out + size);
    size += piece.size();
  };
  for (const Token& tok : tokens_) {
    switch (tok.kind) {
      case TokenKind::kLiteral: append(std::string_view(text_).substr(tok.begin, tok.size)); break;
      case TokenKind::kStar: append(std::string_view(&kStarMark, 1)); break;
      case TokenKind::kQuestion: append(std::string_view(&kOneMark, 1)); break;
      case TokenKind::kVariable: {
        const Variable& var = variables_[tok.begin];
        ContextValues found;
        if (ctx) found = lookup_context_key(*ctx, var.key);
        std::string_view value;
        // A multi-valued key cannot stand in for a variable.
        if (found.size() == 1) {
          value = found[0];
        } else if (var.has_default) {
          value = var.default_value;
        } else {
          return false;
        }
        if (has_marks(value)) return match_general(subject, ctx);
        append(value);
        break;
      }
    }
  }
  return flat_glob(std::string_view(out, size), subject, ignore_case_);
}

bool Pattern::match_general(std::string_view subject, const RequestContext* ctx) const {
  // Resolved variable values: on the stack for the usual handful.
  constexpr size_t kInline = 8;
  std::string_view inline_values[kInline];
  std::vector<std::string_view> heap_values;
  std::string_view* values = inline_values;
  if (variables_.size() > kInline) {
    heap_values.resize(variables_.size());
    values = heap_values.data();
  }
  for (size_t i = 0; i < variables_.size(); ++i) {
    const Variable& var = variables_[i];
    ContextValues found;
    if (ctx) found = lookup_context_key(*ctx, var.key);
    // A multi-valued key cannot stand in for a variable.
    if (found.size() == 1) {
      values[i] = found[0];
    } else if (var.has_default) {
      values[i] = var.default_value;
    } else {
      return false;
    }
  }

  const uint32_t n = static_cast<uint32_t>(tokens_.size());
  struct Cursor {
    uint32_t token;
    uint32_t offset;
  };
  auto piece = [&](uint32_t t) -> std::string_view {
    const Token& tok = tokens_[t];
    return tok.kind == TokenKind::kLiteral ? std::string_view(text_).substr(tok.begin, tok.size)
                                           : values[tok.begin];
  };
  auto is_text = [&](uint32_t t) {
    return tokens_[t].kind == TokenKind::kLiteral || tokens_[t].kind == TokenKind::kVariable;
  };
  auto normalize = [&](Cursor c) {
    while (c.token < n && is_text(c.token) && c.offset >= piece(c.token).size()) {
      ++c.token;
      c.offset = 0;
    }
    return c;
  };
  auto advance = [&](Cursor c) {
    if (is_text(c.token)) {
      ++c.offset;
    } else {
      ++c.token;
      c.offset = 0;
    }
    return normalize(c);
  };

  Cursor p = normalize({0, 0});
  Cursor star{0, 0};
  bool have_star = false;
  size_t star_subject = 0;
  size_t s = 0;
  while (s < subject.size()) {
    if (p.token < n) {
      const TokenKind kind = tokens_[p.token].kind;
      if (kind == TokenKind::kStar) {
        have_star = true;
        p = advance(p);
        star = p;
        star_subject = s;
        continue;
      }
      if (kind == TokenKind::kQuestion) {
        p = advance(p);
        ++s;
        continue;
      }
      const char pc = piece(p.token)[p.offset];
      const char sc = subject[s];
      if (ignore_case_ ? ascii_lower(pc) == ascii_lower(sc) : pc == sc) {
        p = advance(p);
        ++s;
        continue;
      }
    }
    if (!have_star) return false;
    p = star;
    s = ++star_subject;
  }
  while (p.token < n && tokens_[p.token].kind == TokenKind::kStar) p = advance(p);
  return p.token >= n;
}

bool Pattern::reads_only_principal() const {
  return std::all_of(variables_.begin(), variables_.end(),
                     [](const Variable& var) { return describes_principal(var.key.derived); });
}

void Pattern::missing_keys(const RequestContext& ctx, std::vector<std::string>& out) const {
  for (const Variable& var : variables_) {
    if (var.has_default) continue;
    if (lookup_context_key(ctx, var.key).empty() &&
        std::find(out.begin(), out.end(), var.key.name) == out.end())
      out.push_back(var.key.name);
  }
}

size_t split_arn(std::string_view arn, std::string_view* parts, size_t max_parts) {
  size_t count = 0;
  size_t start = 0;
  while (count + 1 < max_parts) {
    const auto colon = arn.find(':', start);
    if (colon == std::string_view::npos) break;
    parts[count++] = arn.substr(start, colon - start);
    start = colon + 1;
  }
  parts[count++] = arn.substr(start);
  return count;
}

ArnPattern ArnPattern::compile(std::string_view text, bool variables) {
  ArnPattern a;
  a.source_ = std::string(text);
  if (text == "*") {
    a.any_ = true;
    return a;
  }
  const PatternOptions options{.wildcards = true, .ignore_case = false, .variables = variables};
  if (text.substr(0, 4) == "arn:") {
    // Split at the first five colons that are not inside a ${...} variable.
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (size_t i = 0; i < text.size() && parts.size() < 5; ++i) {
      if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
        const size_t close = variable_end(text, i);
        if (close != std::string_view::npos) i = close;
        continue;
      }
      if (text[i] == ':') {
        parts.push_back(text.substr(start, i - start));
        start = i + 1;
      }
    }
    parts.push_back(text.substr(start));
    a.segmented_ = true;
    for (auto part : parts) a.segments_.push_back(Pattern::compile(part, options));
    return a;
  }
  a.segments_.push_back(Pattern::compile(text, options));
  return a;
}

bool ArnPattern::matches(std::string_view subject, const RequestContext* ctx) const {
  if (any_) return true;
  if (!segmented_) return segments_.front().matches(subject, ctx);
  std::string_view parts[6];
  const size_t count = split_arn(subject, parts, segments_.size());
  if (count != segments_.size()) return false;
  for (size_t i = 0; i < count; ++i)
    if (!segments_[i].matches(parts[i], ctx)) return false;
  return true;
}

bool ArnPattern::reads_only_principal() const {
  return std::all_of(segments_.begin(), segments_.end(), [](const Pattern& p) { return p.reads_only_principal(); });
}

void ArnPattern::missing_keys(const RequestContext& ctx, std::vector<std::string>& out) const {
  for (const Pattern& p : segments_) p.missing_keys(ctx, out);
}

}  // namespace terrarium::auth
