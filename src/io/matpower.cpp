// MATPOWER case reader: a small interpreter for the MATLAB subset that case files use.
//
// Statements understood (anything else that assigns to mpc is an error, so a conversion
// is never silently skipped):
//   function mpc = NAME                      (name of the case)
//   mpc.version = '2';  mpc.baseMVA = EXPR;
//   mpc.FIELD = [ numeric matrix ];          (bus, gen, branch, gencost; others kept aside)
//   mpc.FIELD = { cell array };              (bus_name etc.: skipped)
//   [A, B, ...] = idx_bus | idx_gen | idx_brch | idx_cost;   (column names are built in)
//   NAME = EXPR;                             (scalar variables, e.g. Vbase, Sbase, pf)
//   mpc.FIELD(ROWS, COLS) = EXPR;            (ROWS/COLS: ':', scalar, [list], a:b)
// EXPR: numbers, variables, column constants, mpc.baseMVA, mpc.FIELD(ROWS, COLS),
// + - * / ^ (and .* ./ .^), unary minus, parentheses, and sin cos tan asin acos atan
// sqrt abs exp log. Matrix-valued operands combine element-wise with scalars broadcast.
#include "io/matpower.hpp"

#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"

namespace evs {

namespace {

enum class Tok { number, ident, string, punct, newline, end };

struct Token {
  Tok kind = Tok::end;
  std::string text;
  double value = 0;
  int line = 0;
};

// One statement: its tokens and the source text (for the record of conversions).
struct Statement {
  std::vector<Token> tokens;
  int line = 0;
  std::string text;
};

class Lexer {
 public:
  Lexer(const std::string& text, const std::string& file) : s_(text), file_(file) {}

  std::vector<Statement> statements() {
    std::vector<Statement> out;
    Statement cur;
    size_t stmt_start = 0;  // offset of the statement's first token
    size_t tok_start = 0;   // offset of the token being lexed
    auto flush = [&]() {
      if (!cur.tokens.empty()) {
        cur.line = cur.tokens.front().line;
        cur.text = std::string(trim(s_.substr(stmt_start, i_ - stmt_start)));
        out.push_back(std::move(cur));
      }
      cur = Statement{};
    };
    auto push = [&](Token tok) {
      if (cur.tokens.empty()) stmt_start = tok_start;
      cur.tokens.push_back(std::move(tok));
    };
    int depth = 0;       // () nesting
    int brackets = 0;    // [] and {} nesting
    int bracket_line = 0;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      tok_start = i_;
      if (c == '%') {
        // Block comment %{ ... %} on lines of their own.
        if (at_line_start() && s_.compare(i_, 2, "%{") == 0 && rest_of_line_blank(i_ + 2)) {
          skip_block_comment();
          continue;
        }
        skip_to_eol();
        continue;
      }
      if (c == '.' && s_.compare(i_, 3, "...") == 0) {  // continuation: ignore rest of line
        skip_to_eol();
        if (i_ < s_.size()) advance_newline();
        continue;
      }
      if (c == '\n' || c == '\r') {
        if (brackets > 0) {
          if (!cur.tokens.empty() && !(cur.tokens.back().kind == Tok::newline))
            push({Tok::newline, "\n", 0, line_});
          advance_newline();
        } else {
          advance_newline();
          if (depth == 0) flush();
        }
        continue;
      }
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i_;
        continue;
      }
      if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i_ + 1 < s_.size() && std::isdigit(s_[i_ + 1]))) {
        push(number());
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        size_t j = i_;
        while (j < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[j])) || s_[j] == '_')) ++j;
        push({Tok::ident, s_.substr(i_, j - i_), 0, line_});
        i_ = j;
        continue;
      }
      if (c == '\'') {
        const bool transpose = !cur.tokens.empty() && (cur.tokens.back().kind == Tok::ident ||
                                                        cur.tokens.back().text == ")" || cur.tokens.back().text == "]") &&
                               i_ > 0 && !std::isspace(static_cast<unsigned char>(s_[i_ - 1]));
        if (transpose) throw InputError({file_, line_, "'"}, "matrix transpose is not supported");
        size_t j = i_ + 1;
        std::string value;
        while (j < s_.size() && s_[j] != '\n') {
          if (s_[j] == '\'') {
            if (j + 1 < s_.size() && s_[j + 1] == '\'') {
              value += '\'';
              j += 2;
              continue;
            }
            break;
          }
          value += s_[j++];
        }
        if (j >= s_.size() || s_[j] != '\'') throw InputError({file_, line_, "string"}, "unterminated string");
        push({Tok::string, value, 0, line_});
        i_ = j + 1;
        continue;
      }
      if (c == '"') {
        size_t j = s_.find('"', i_ + 1);
        if (j == std::string::npos || s_.find('\n', i_) < j)
          throw InputError({file_, line_, "string"}, "unterminated string");
        push({Tok::string, s_.substr(i_ + 1, j - i_ - 1), 0, line_});
        i_ = j + 1;
        continue;
      }
      // punctuation
      std::string p(1, c);
      if ((c == '.') && i_ + 1 < s_.size() && (s_[i_ + 1] == '*' || s_[i_ + 1] == '/' || s_[i_ + 1] == '^'))
        p = s_.substr(i_, 2);
      const std::string allowed = "()[]{}=,;:+-*/^.";
      if (p.size() == 1 && allowed.find(c) == std::string::npos)
        throw InputError({file_, line_, std::string(1, c)}, "unexpected character");
      i_ += p.size();
      if (p == "(") ++depth;
      if (p == ")") --depth;
      if (p == "[" || p == "{") {
        if (brackets == 0) bracket_line = line_;
        ++brackets;
      }
      if (p == "]" || p == "}") {
        if (brackets == 0) throw InputError({file_, line_, p}, "unmatched closing bracket");
        --brackets;
      }
      if ((p == ";" || p == ",") && brackets == 0 && depth == 0) {
        flush();
        continue;
      }
      push({Tok::punct, p, 0, line_});
    }
    if (brackets > 0)
      throw InputError({file_, bracket_line, "["}, "matrix or cell array starting here is never closed (truncated file?)");
    flush();
    return out;
  }

 private:
  bool at_line_start() const {
    size_t j = i_;
    while (j > 0 && (s_[j - 1] == ' ' || s_[j - 1] == '\t')) --j;
    return j == 0 || s_[j - 1] == '\n' || s_[j - 1] == '\r';
  }
  bool rest_of_line_blank(size_t j) const {
    while (j < s_.size() && s_[j] != '\n') {
      if (!std::isspace(static_cast<unsigned char>(s_[j]))) return false;
      ++j;
    }
    return true;
  }
  void skip_block_comment() {
    const int start = line_;
    while (i_ < s_.size()) {
      skip_to_eol();
      if (i_ < s_.size()) advance_newline();
      size_t j = i_;
      while (j < s_.size() && (s_[j] == ' ' || s_[j] == '\t')) ++j;
      if (s_.compare(j, 2, "%}") == 0) {
        i_ = j + 2;
        skip_to_eol();
        return;
      }
    }
    throw InputError({file_, start, "%{"}, "block comment is never closed");
  }
  void skip_to_eol() {
    while (i_ < s_.size() && s_[i_] != '\n' && s_[i_] != '\r') ++i_;
  }
  void advance_newline() {
    if (s_[i_] == '\r' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') ++i_;
    ++i_;
    ++line_;
  }
  Token number() {
    size_t j = i_;
    while (j < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[j])) || s_[j] == '.')) ++j;
    if (j < s_.size() && (s_[j] == 'e' || s_[j] == 'E' || s_[j] == 'd' || s_[j] == 'D')) {
      size_t k = j + 1;
      if (k < s_.size() && (s_[k] == '+' || s_[k] == '-')) ++k;
      if (k < s_.size() && std::isdigit(static_cast<unsigned char>(s_[k]))) {
        j = k;
        while (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j]))) ++j;
      }
    }
    const std::string text = s_.substr(i_, j - i_);
    auto v = parse_double(text);
    if (!v || (j < s_.size() && (std::isalpha(static_cast<unsigned char>(s_[j])) || s_[j] == '_')))
      throw InputError({file_, line_, text}, "malformed number");
    i_ = j;
    return {Tok::number, text, *v, line_};
  }

  const std::string& s_;
  const std::string& file_;
  size_t i_ = 0;
  int line_ = 1;
};

// A numeric value: scalar (1x1) or matrix, row-major.
struct Value {
  size_t rows = 1, cols = 1;
  std::vector<double> data{0.0};
  static Value scalar(double v) { return {1, 1, {v}}; }
  bool is_scalar() const { return rows == 1 && cols == 1; }
};

struct Table {
  size_t cols = 0;
  std::vector<std::vector<double>> rows;
  std::vector<int> lines;  // [row] source line
  int line = 0;            // line of the assignment
};

const std::map<std::string, double>& column_constants() {
  static const std::map<std::string, double> k = [] {
    std::map<std::string, double> m;
    const char* bus[] = {"BUS_I", "BUS_TYPE", "PD", "QD", "GS", "BS", "BUS_AREA", "VM", "VA", "BASE_KV", "ZONE",
                         "VMAX", "VMIN", "LAM_P", "LAM_Q", "MU_VMAX", "MU_VMIN"};
    for (int i = 0; i < 17; ++i) m[bus[i]] = i + 1;
    const char* gen[] = {"GEN_BUS", "PG", "QG", "QMAX", "QMIN", "VG", "MBASE", "GEN_STATUS", "PMAX", "PMIN",
                         "PC1", "PC2", "QC1MIN", "QC1MAX", "QC2MIN", "QC2MAX", "RAMP_AGC", "RAMP_10", "RAMP_30",
                         "RAMP_Q", "APF", "MU_PMAX", "MU_PMIN", "MU_QMAX", "MU_QMIN"};
    for (int i = 0; i < 25; ++i) m[gen[i]] = i + 1;
    const char* br[] = {"F_BUS", "T_BUS", "BR_R", "BR_X", "BR_B", "RATE_A", "RATE_B", "RATE_C", "TAP", "SHIFT",
                        "BR_STATUS", "PF", "QF", "PT", "QT", "MU_SF", "MU_ST", "ANGMIN", "ANGMAX", "MU_ANGMIN",
                        "MU_ANGMAX"};
    for (int i = 0; i < 21; ++i) m[br[i]] = i + 1;
    const char* cost[] = {"MODEL", "STARTUP", "SHUTDOWN", "NCOST", "COST"};
    for (int i = 0; i < 5; ++i) m[cost[i]] = i + 1;
    m["PQ"] = 1;
    m["PV"] = 2;
    m["REF"] = 3;
    m["NONE"] = 4;
    m["PW_LINEAR"] = 1;
    m["POLYNOMIAL"] = 2;
    m["pi"] = M_PI;
    return m;
  }();
  return k;
}

class Interpreter {
 public:
  explicit Interpreter(const std::string& file) : file_(file) {}

  void run(const std::vector<Statement>& statements) {
    for (const auto& st : statements) execute(st);
  }

  GridCase finish() {
    GridCase c;
    c.name = name_;
    c.source_file = file_;
    if (version_.empty())
      throw InputError({file_, 0, "mpc.version"}, "missing: not a MATPOWER case (expected mpc.version = '2')");
    if (version_ != "2")
      throw InputError({file_, version_line_, "mpc.version"},
                       "format version '" + version_ + "' is not supported (only version 2)");
    if (!base_mva_) throw InputError({file_, 0, "mpc.baseMVA"}, "missing");
    c.base_mva = *base_mva_;
    if (!std::isfinite(c.base_mva) || c.base_mva <= 0)
      throw InputError({file_, base_line_, "mpc.baseMVA"}, "must be a positive number");
    const Table& bus = require("bus", 13);
    const Table& gen = require("gen", 10);
    const Table& branch = require("branch", 11);
    for (size_t r = 0; r < bus.rows.size(); ++r) c.buses.push_back(to_bus(bus, r));
    for (size_t r = 0; r < gen.rows.size(); ++r) c.gens.push_back(to_gen(gen, r));
    for (size_t r = 0; r < branch.rows.size(); ++r) c.branches.push_back(to_branch(branch, r));
    if (auto it = tables_.find("gencost"); it != tables_.end()) {
      const Table& gc = it->second;
      if (gc.cols < 4 && !gc.rows.empty())
        throw InputError({file_, gc.line, "mpc.gencost"}, "needs at least 4 columns");
      for (size_t r = 0; r < gc.rows.size(); ++r) {
        GenCostRecord rec;
        rec.model = integer(gc, r, 0, "MODEL");
        rec.startup = gc.rows[r][1];
        rec.shutdown = gc.rows[r][2];
        const int n = integer(gc, r, 3, "NCOST");
        const size_t need = 4 + static_cast<size_t>(rec.model == 1 ? 2 * n : n);
        if (n < 0 || need > gc.cols)
          throw InputError({file_, gc.lines[r], "NCOST"}, "declares " + std::to_string(n) + " cost terms but row has " +
                                                              std::to_string(gc.cols - 4));
        rec.coefficients.assign(gc.rows[r].begin() + 4, gc.rows[r].begin() + static_cast<long>(need));
        rec.line = gc.lines[r];
        c.gencosts.push_back(rec);
      }
    }
    c.conversions = conversions_;
    return c;
  }

 private:
  // ---- statements ----
  void execute(const Statement& st) {
    const auto& t = st.tokens;
    if (t.empty()) return;
    if (t[0].kind == Tok::ident && t[0].text == "function") {
      // function mpc = name
      if (t.size() >= 4 && t[2].text == "=") name_ = t[3].text;
      return;
    }
    if (t[0].kind == Tok::punct && t[0].text == "[") {  // [A, B] = idx_bus
      size_t k = 0;
      while (k < t.size() && t[k].text != "]") ++k;
      if (k + 2 < t.size() && t[k + 1].text == "=" && t[k + 2].kind == Tok::ident &&
          t[k + 2].text.rfind("idx_", 0) == 0)
        return;
      fail(st, "unsupported statement");
    }
    // Find '=' at top level.
    size_t eq = 0;
    int depth = 0;
    for (; eq < t.size(); ++eq) {
      if (t[eq].text == "(" || t[eq].text == "[" || t[eq].text == "{") ++depth;
      if (t[eq].text == ")" || t[eq].text == "]" || t[eq].text == "}") --depth;
      if (depth == 0 && t[eq].kind == Tok::punct && t[eq].text == "=") break;
    }
    if (eq == t.size()) {
      // A bare expression or command (e.g. "return"): harmless unless it mentions mpc.
      for (const auto& tok : t)
        if (tok.kind == Tok::ident && tok.text == "mpc") fail(st, "unsupported statement");
      return;
    }
    pos_ = eq + 1;
    cur_ = &st;
    if (t[0].kind == Tok::ident && t[0].text != "mpc" && eq == 1) {  // NAME = EXPR
      variables_[t[0].text] = expression();
      expect_end();
      return;
    }
    if (t[0].text != "mpc" || t.size() < 3 || t[1].text != "." || t[2].kind != Tok::ident)
      fail(st, "unsupported assignment");
    const std::string field = t[2].text;
    if (eq == 3) {  // mpc.FIELD = ...
      assign_field(st, field);
      return;
    }
    if (t[3].text != "(") fail(st, "unsupported assignment to mpc." + field);
    // mpc.FIELD(ROWS, COLS) = EXPR
    auto it = tables_.find(field);
    if (it == tables_.end()) fail(st, "mpc." + field + " is modified before it is defined");
    Table& table = it->second;
    size_t p = 3;
    auto [rows, cols] = index_pair(st, p, table, field);
    if (p != eq) fail(st, "unexpected tokens before '='");
    pos_ = eq + 1;
    const Value rhs = expression();
    expect_end();
    const size_t n = rows.size() * cols.size();
    if (!rhs.is_scalar() && rhs.data.size() != n)
      fail(st, "right-hand side has " + std::to_string(rhs.rows) + "x" + std::to_string(rhs.cols) +
                   " values for " + std::to_string(rows.size()) + "x" + std::to_string(cols.size()) + " elements");
    for (size_t i = 0; i < rows.size(); ++i)
      for (size_t j = 0; j < cols.size(); ++j)
        table.rows[rows[i]][cols[j]] = rhs.is_scalar() ? rhs.data[0] : rhs.data[i * cols.size() + j];
    conversions_.push_back(st.text);
  }

  void assign_field(const Statement& st, const std::string& field) {
    const auto& t = st.tokens;
    if (pos_ >= t.size()) fail(st, "missing value");
    if (t[pos_].text == "{") return;  // cell arrays (bus_name, gentype, ...) are not used
    if (field == "version") {
      if (t[pos_].kind != Tok::string && t[pos_].kind != Tok::number) fail(st, "mpc.version must be a string");
      version_ = t[pos_].text;
      version_line_ = st.line;
      return;
    }
    if (t[pos_].text == "[") {
      tables_[field] = matrix(st);
      return;
    }
    const Value v = expression();
    expect_end();
    if (field == "baseMVA") {
      if (!v.is_scalar()) fail(st, "mpc.baseMVA must be a scalar");
      base_mva_ = v.data[0];
      base_line_ = st.line;
    }
  }

  Table matrix(const Statement& st) {
    const auto& t = st.tokens;
    Table table;
    table.line = st.line;
    size_t p = pos_ + 1;  // after '['
    std::vector<double> row;
    int row_line = 0;
    auto end_row = [&]() {
      if (row.empty()) return;
      if (table.rows.empty())
        table.cols = row.size();
      else if (row.size() != table.cols)
        throw InputError({file_, row_line, "mpc." + t[2].text},
                         "row has " + std::to_string(row.size()) + " columns, expected " + std::to_string(table.cols) +
                             " (missing or extra column?)");
      table.rows.push_back(row);
      table.lines.push_back(row_line);
      row.clear();
    };
    for (; p < t.size() && t[p].text != "]"; ++p) {
      const Token& tok = t[p];
      if (tok.kind == Tok::newline || (tok.kind == Tok::punct && tok.text == ";")) {
        end_row();
        continue;
      }
      if (tok.kind == Tok::punct && tok.text == ",") continue;
      if (row.empty()) row_line = tok.line;
      double sign = 1;
      size_t q = p;
      if (tok.kind == Tok::punct && (tok.text == "-" || tok.text == "+")) {
        sign = tok.text == "-" ? -1 : 1;
        ++q;
      }
      if (q >= t.size()) break;
      if (t[q].kind == Tok::number) {
        row.push_back(sign * t[q].value);
      } else if (t[q].kind == Tok::ident) {
        row.push_back(sign * scalar_name(t[q]));
      } else {
        throw InputError({file_, t[q].line, "mpc." + t[2].text}, "unexpected '" + t[q].text + "' in matrix");
      }
      p = q;
    }
    end_row();
    if (p >= t.size()) throw InputError({file_, st.line, "mpc." + t[2].text}, "matrix is never closed");
    if (p + 1 != t.size()) throw InputError({file_, t[p].line, "mpc." + t[2].text}, "unexpected text after matrix");
    return table;
  }

  double scalar_name(const Token& tok) {
    std::string lower = to_lower(tok.text);
    if (lower == "inf") return INFINITY;
    if (lower == "nan") return NAN;
    if (auto it = variables_.find(tok.text); it != variables_.end() && it->second.is_scalar())
      return it->second.data[0];
    if (auto it = column_constants().find(tok.text); it != column_constants().end()) return it->second;
    throw InputError({file_, tok.line, tok.text}, "unknown name");
  }

  // ---- expressions ----
  const Token& peek() const {
    static const Token end{};
    return pos_ < cur_->tokens.size() ? cur_->tokens[pos_] : end;
  }
  bool accept(const char* p) {
    if (peek().kind == Tok::punct && peek().text == p) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(const char* p) {
    if (!accept(p)) fail(*cur_, std::string("expected '") + p + "'");
  }
  void expect_end() {
    if (pos_ != cur_->tokens.size()) fail(*cur_, "unexpected '" + peek().text + "'");
  }

  static Value apply(const Value& a, const Value& b, const std::function<double(double, double)>& op,
                     const Statement& st, const std::string& file) {
    if (a.is_scalar() && b.is_scalar()) return Value::scalar(op(a.data[0], b.data[0]));
    if (!a.is_scalar() && !b.is_scalar() && (a.rows != b.rows || a.cols != b.cols))
      throw InputError({file, st.line, ""}, "operands have different sizes in: " + st.text);
    Value out = a.is_scalar() ? b : a;
    for (size_t i = 0; i < out.data.size(); ++i)
      out.data[i] = op(a.is_scalar() ? a.data[0] : a.data[i], b.is_scalar() ? b.data[0] : b.data[i]);
    return out;
  }

  Value expression() {
    Value v = term();
    for (;;) {
      if (accept("+"))
        v = apply(v, term(), std::plus<>(), *cur_, file_);
      else if (accept("-"))
        v = apply(v, term(), std::minus<>(), *cur_, file_);
      else
        return v;
    }
  }
  Value term() {
    Value v = factor();
    for (;;) {
      if (accept(".*")) {
        v = apply(v, factor(), std::multiplies<>(), *cur_, file_);
      } else if (accept("*")) {
        Value r = factor();
        if (!v.is_scalar() && !r.is_scalar()) fail(*cur_, "matrix product is not supported");
        v = apply(v, r, std::multiplies<>(), *cur_, file_);
      } else if (accept("./")) {
        v = apply(v, factor(), std::divides<>(), *cur_, file_);
      } else if (accept("/")) {
        Value r = factor();
        if (!r.is_scalar()) fail(*cur_, "division by a matrix is not supported");
        v = apply(v, r, std::divides<>(), *cur_, file_);
      } else {
        return v;
      }
    }
  }
  Value factor() {
    Value v = unary();
    if (accept("^") || accept(".^")) v = apply(v, unary(), [](double a, double b) { return std::pow(a, b); }, *cur_, file_);
    return v;
  }
  Value unary() {
    if (accept("-")) {
      Value v = unary();
      for (auto& x : v.data) x = -x;
      return v;
    }
    if (accept("+")) return unary();
    return primary();
  }
  Value primary() {
    const Token tok = peek();
    if (tok.kind == Tok::number) {
      ++pos_;
      return Value::scalar(tok.value);
    }
    if (accept("(")) {
      Value v = expression();
      expect(")");
      return v;
    }
    if (tok.kind != Tok::ident) fail(*cur_, "unexpected '" + tok.text + "'");
    ++pos_;
    if (tok.text == "mpc") {
      expect(".");
      const Token field = peek();
      if (field.kind != Tok::ident) fail(*cur_, "expected a field name after 'mpc.'");
      ++pos_;
      if (field.text == "baseMVA") {
        if (!base_mva_) fail(*cur_, "mpc.baseMVA is used before it is set");
        return Value::scalar(*base_mva_);
      }
      auto it = tables_.find(field.text);
      if (it == tables_.end()) fail(*cur_, "mpc." + field.text + " is used before it is defined");
      if (peek().text != "(") fail(*cur_, "whole-matrix expressions are not supported; index mpc." + field.text);
      size_t p = pos_;
      auto [rows, cols] = index_pair(*cur_, p, it->second, field.text);
      pos_ = p;
      Value v{rows.size(), cols.size(), {}};
      for (size_t r : rows)
        for (size_t c : cols) v.data.push_back(it->second.rows[r][c]);
      return v;
    }
    static const std::map<std::string, double (*)(double)> functions = {
        {"sin", [](double x) { return std::sin(x); }},   {"cos", [](double x) { return std::cos(x); }},
        {"tan", [](double x) { return std::tan(x); }},   {"asin", [](double x) { return std::asin(x); }},
        {"acos", [](double x) { return std::acos(x); }}, {"atan", [](double x) { return std::atan(x); }},
        {"sqrt", [](double x) { return std::sqrt(x); }}, {"abs", [](double x) { return std::fabs(x); }},
        {"exp", [](double x) { return std::exp(x); }},   {"log", [](double x) { return std::log(x); }}};
    if (auto f = functions.find(tok.text); f != functions.end() && peek().text == "(") {
      expect("(");
      Value v = expression();
      expect(")");
      for (auto& x : v.data) x = f->second(x);
      return v;
    }
    if (auto it = variables_.find(tok.text); it != variables_.end()) return it->second;
    return Value::scalar(scalar_name(tok));
  }

  // (ROWS, COLS) starting at tokens[p] == "("; returns 0-based indices, advances p past ")".
  std::pair<std::vector<size_t>, std::vector<size_t>> index_pair(const Statement& st, size_t& p, const Table& table,
                                                                 const std::string& field) {
    const size_t save = pos_;
    const Statement* save_cur = cur_;
    cur_ = &st;
    pos_ = p;
    expect("(");
    auto rows = index_list(table.rows.size(), "row", field);
    expect(",");
    auto cols = index_list(table.cols, "column", field);
    expect(")");
    p = pos_;
    pos_ = save;
    cur_ = save_cur;
    return {rows, cols};
  }

  std::vector<size_t> index_list(size_t extent, const char* what, const std::string& field) {
    std::vector<size_t> out;
    if (accept(":")) {
      for (size_t i = 0; i < extent; ++i) out.push_back(i);
      return out;
    }
    std::vector<double> values;
    if (accept("[")) {
      while (!accept("]")) {
        if (accept(",")) continue;
        Value v = expression();
        values.insert(values.end(), v.data.begin(), v.data.end());
      }
    } else {
      Value first = expression();
      if (accept(":")) {
        Value last = expression();
        for (double x = first.data[0]; x <= last.data[0]; x += 1) values.push_back(x);
      } else {
        values = first.data;
      }
    }
    for (double x : values) {
      if (x < 1 || x != std::floor(x) || x > static_cast<double>(extent))
        fail(*cur_, std::string(what) + " index " + std::to_string(x) + " is outside mpc." + field + " (" +
                        std::to_string(extent) + " " + what + "s)");
      out.push_back(static_cast<size_t>(x) - 1);
    }
    return out;
  }

  // ---- records ----
  const Table& require(const std::string& field, size_t min_cols) {
    auto it = tables_.find(field);
    if (it == tables_.end()) throw InputError({file_, 0, "mpc." + field}, "missing");
    if (!it->second.rows.empty() && it->second.cols < min_cols)
      throw InputError({file_, it->second.line, "mpc." + field},
                       "has " + std::to_string(it->second.cols) + " columns, needs at least " + std::to_string(min_cols));
    return it->second;
  }
  int integer(const Table& t, size_t r, size_t c, const char* field) {
    const double v = t.rows[r][c];
    if (!std::isfinite(v) || v != std::floor(v))
      throw InputError({file_, t.lines[r], field}, "must be an integer, got " + std::to_string(v));
    return static_cast<int>(v);
  }
  double real(const Table& t, size_t r, size_t c, const char* field) {
    const double v = t.rows[r][c];
    if (std::isnan(v)) throw InputError({file_, t.lines[r], field}, "is NaN");
    return v;
  }
  BusRecord to_bus(const Table& t, size_t r) {
    BusRecord b;
    b.line = t.lines[r];
    b.id = integer(t, r, 0, "bus_i");
    if (b.id <= 0) throw InputError({file_, b.line, "bus_i"}, "bus numbers must be positive");
    const int type = integer(t, r, 1, "type");
    if (type < 1 || type > 4) throw InputError({file_, b.line, "type"}, "bus type must be 1..4, got " + std::to_string(type));
    b.type = static_cast<BusType>(type);
    b.pd_mw = real(t, r, 2, "Pd");
    b.qd_mvar = real(t, r, 3, "Qd");
    b.gs_mw = real(t, r, 4, "Gs");
    b.bs_mvar = real(t, r, 5, "Bs");
    b.area = integer(t, r, 6, "area");
    b.vm_pu = real(t, r, 7, "Vm");
    b.va_deg = real(t, r, 8, "Va");
    b.base_kv = real(t, r, 9, "baseKV");
    b.zone = integer(t, r, 10, "zone");
    b.vmax_pu = real(t, r, 11, "Vmax");
    b.vmin_pu = real(t, r, 12, "Vmin");
    return b;
  }
  GenRecord to_gen(const Table& t, size_t r) {
    GenRecord g;
    g.line = t.lines[r];
    g.bus = integer(t, r, 0, "bus");
    g.pg_mw = real(t, r, 1, "Pg");
    g.qg_mvar = real(t, r, 2, "Qg");
    g.qmax_mvar = real(t, r, 3, "Qmax");
    g.qmin_mvar = real(t, r, 4, "Qmin");
    g.vg_pu = real(t, r, 5, "Vg");
    g.mbase_mva = real(t, r, 6, "mBase");
    g.in_service = real(t, r, 7, "status") > 0;
    g.pmax_mw = real(t, r, 8, "Pmax");
    g.pmin_mw = real(t, r, 9, "Pmin");
    return g;
  }
  BranchRecord to_branch(const Table& t, size_t r) {
    BranchRecord b;
    b.line = t.lines[r];
    b.from_bus = integer(t, r, 0, "fbus");
    b.to_bus = integer(t, r, 1, "tbus");
    b.r_pu = real(t, r, 2, "r");
    b.x_pu = real(t, r, 3, "x");
    b.b_pu = real(t, r, 4, "b");
    b.rate_a_mva = real(t, r, 5, "rateA");
    b.tap_ratio = real(t, r, 8, "ratio");
    b.shift_deg = real(t, r, 9, "angle");
    const int status = integer(t, r, 10, "status");
    if (status != 0 && status != 1) throw InputError({file_, b.line, "status"}, "branch status must be 0 or 1");
    b.in_service = status == 1;
    return b;
  }

  [[noreturn]] void fail(const Statement& st, const std::string& what) const {
    throw InputError({file_, st.line, ""}, what + " in: " + st.text.substr(0, 120));
  }

  const std::string& file_;
  std::string name_;
  std::string version_;
  int version_line_ = 0, base_line_ = 0;
  std::optional<double> base_mva_;
  std::map<std::string, Table> tables_;
  std::map<std::string, Value> variables_;
  std::vector<std::string> conversions_;
  const Statement* cur_ = nullptr;
  size_t pos_ = 0;
};

}  // namespace

GridCase parse_matpower_case(const std::string& text, const std::string& source_name) {
  Lexer lexer(text, source_name);
  const auto statements = lexer.statements();
  Interpreter interpreter(source_name);
  interpreter.run(statements);
  return interpreter.finish();
}

GridCase read_matpower_case(const std::string& path) { return parse_matpower_case(read_file_text(path), path); }

}  // namespace evs
