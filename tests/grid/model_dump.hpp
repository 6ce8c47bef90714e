#pragma once
// Text dump of a built QcqpModel (every variable, constraint, term and objective term in
// model order, numbers exact to the bit) and a 64-bit FNV-1a hash of it: the dispatch
// tests use them to prove a refactoring left the model unchanged.
#include <cstdint>
#include <cstdio>
#include <string>

#include "grid/model/qcqp.hpp"

namespace evs::test {

inline std::string exact_number(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%a", x);  // hexadecimal: every bit of the double
  return buf;
}

inline void dump_expression(const grid::Expression& e, std::string& out) {
  out += " c=" + exact_number(e.constant) + "\n";
  for (const auto& t : e.linear) out += "  L " + std::to_string(t.var) + " " + exact_number(t.coef) + "\n";
  for (const auto& q : e.quadratic)
    out += "  Q " + std::to_string(q.i) + " " + std::to_string(q.j) + " " + exact_number(q.coef) + "\n";
}

inline std::string dump_model(const grid::QcqpModel& m) {
  std::string out;
  for (int i = 0; i < m.num_variables(); ++i)
    out += "var " + std::to_string(i) + " " + m.names()[i] + " " + exact_number(m.lower()[i]) + " " +
           exact_number(m.upper()[i]) + " " + exact_number(m.start()[i]) + "\n";
  for (int c = 0; c < m.num_constraints(); ++c) {
    const auto& con = m.constraints()[c];
    out += "con " + std::to_string(c) + " " + con.name + " " + exact_number(con.lower) + " " + exact_number(con.upper);
    dump_expression(con.expr, out);
  }
  out += "objective";
  dump_expression(m.objective(), out);
  return out;
}

inline std::uint64_t fnv1a_64(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace evs::test
