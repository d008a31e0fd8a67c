// One result model, several renderers: every tool turns its result into a
// Value tree once, then prints it as JSON, `field: value` lines or
// `key=value` pairs; human tables use Table.  libcore never prints.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kmemkit {

class Value {
public:
    enum class Kind { null, boolean, integer, string, array, object };
    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : kind_(Kind::boolean), b_(b) {}
    Value(int v) : kind_(Kind::integer), neg_(v < 0), u_(v < 0 ? uint64_t(-(int64_t)v) : uint64_t(v)) {}
    Value(long v) : kind_(Kind::integer), neg_(v < 0), u_(v < 0 ? uint64_t(-(int64_t)v) : uint64_t(v)) {}
    Value(long long v) : kind_(Kind::integer), neg_(v < 0), u_(v < 0 ? uint64_t(-(int64_t)v) : uint64_t(v)) {}
    Value(unsigned v) : kind_(Kind::integer), u_(v) {}
    Value(unsigned long v) : kind_(Kind::integer), u_(v) {}
    Value(unsigned long long v) : kind_(Kind::integer), u_(v) {}
    Value(const char* s) : kind_(Kind::string), s_(s) {}
    Value(std::string s) : kind_(Kind::string), s_(std::move(s)) {}

    static Value array() { Value v; v.kind_ = Kind::array; return v; }
    static Value object() { Value v; v.kind_ = Kind::object; return v; }

    Kind kind() const { return kind_; }
    // object: append (keeps insertion order); returns *this for chaining
    Value& set(const std::string& key, Value v);
    // array: append
    Value& push(Value v);

    const std::vector<std::pair<std::string, Value>>& fields() const { return obj_; }
    const std::vector<Value>& items() const { return arr_; }
    const std::string& str() const { return s_; }
    bool boolean() const { return b_; }
    bool negative() const { return neg_; }
    uint64_t magnitude() const { return u_; }
    const Value* find(const std::string& key) const;

    // scalar as text (no quotes): "0x1000" strings stay strings, numbers decimal
    std::string scalar_text() const;

private:
    Kind kind_ = Kind::null;
    bool b_ = false;
    bool neg_ = false;
    uint64_t u_ = 0;
    std::string s_;
    std::vector<Value> arr_;
    std::vector<std::pair<std::string, Value>> obj_;
};

// The one vocabulary of keys the tools print (kmemkit-stream(5) KEYS): a key means one thing,
// in one unit and one format, in every tool.  A pfn (`pfn`, `*_pfn`) is the page frame number
// (physical address >> PAGE_SHIFT): a number in JSON, "0x%x" in field lines (hex = true).
Value pfn_value(uint64_t pfn, bool hex);

std::string json_escape(const std::string& s);
// pretty: two-space indentation; otherwise one line (JSON Lines)
std::string to_json(const Value& v, bool pretty = true);
// `field: value` lines for one record; nested objects are flattened with
// dots ("zone.name"), arrays of scalars joined by commas, arrays of objects
// numbered ("zones.0.name").
std::string to_field_lines(const Value& obj);
// `key=value key=value` on one line (stream mode); values with blanks quoted.
std::string to_pairs(const Value& obj);

// An aligned text table (column names, right alignment for numbers).
class Table {
public:
    struct Column { std::string name; bool right = false; };
    explicit Table(std::vector<Column> cols) : cols_(std::move(cols)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    std::string render(bool headings = true) const;

private:
    std::vector<Column> cols_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace kmemkit
