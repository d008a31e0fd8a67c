// The table views, rendered four ways (see table_view.hpp).
#include "kmemkit/table_view.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "kmemkit/error.hpp"
#include "kmemkit/spelling.hpp"

namespace kmemkit {

namespace {
std::string upper(std::string s) {
    for (auto& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}
std::string heading(const TableColumn& c) { return c.heading.empty() ? upper(c.name) : c.heading; }

// -r: lsblk's raw form, a value's blanks, backslashes and control characters as \xHH
std::string raw_escape(const std::string& s) {
    std::string o;
    for (unsigned char c : s) {
        if (c <= ' ' || c == '\\' || c == 0x7f) o += fmt::format("\\x{:02x}", c);
        else o += char(c);
    }
    return o.empty() ? "-" : o;
}
// -P: KEY="value", a quote, backslash or control character as \xHH
std::string pair_escape(const std::string& s) {
    std::string o;
    for (unsigned char c : s) {
        if (c < ' ' || c == '"' || c == '\\' || c == 0x7f) o += fmt::format("\\x{:02x}", c);
        else o += char(c);
    }
    return o;
}
}  // namespace

std::vector<size_t> select_columns(const TableView& v, const std::string& list) {
    std::vector<size_t> sel;
    std::string rest = list;
    size_t base = 0;
    if (rest.empty() || rest[0] == '+') {
        for (size_t i = 0; i < v.columns.size(); ++i)
            if (v.columns[i].shown) sel.push_back(i);
        if (rest.empty()) return sel;
        rest = rest.substr(1);
        base = 1;
    }
    std::vector<std::string> names;
    for (const auto& c : v.columns) names.push_back(c.name);
    for (size_t b = 0; b <= rest.size();) {
        size_t e = std::min(rest.find(',', b), rest.size());
        const std::string name = rest.substr(b, e - b);
        auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) {
            std::string valid;
            for (const auto& n : names) valid += (valid.empty() ? "" : ", ") + n;
            std::string near = name.empty() ? std::string() : nearest_word(name, names, 2);
            for (const auto& n : names)   // or the one column the name begins ("spanned": spanned_pages)
                if (near.empty() && name.size() >= 3 && n.compare(0, name.size(), name) == 0) {
                    near = n;
                    for (const auto& m : names) near = (m != n && m.compare(0, name.size(), name) == 0) ? "" : near;
                }
            throw Error(name.empty() ? fmt::format("-o: an empty column name (the columns: {})", valid)
                                     : fmt::format("-o: unknown column '{}'{} (the columns: {})", name,
                                                   near.empty() ? "" : " (did you mean '" + near + "'?)", valid),
                        {}, 0, int(base + b + 1));
        }
        sel.push_back(size_t(it - names.begin()));
        b = e + 1;
    }
    return sel;
}

std::string render_table(const TableView& v, const TableStyle& style) {
    const std::vector<size_t> sel = select_columns(v, style.output);
    std::string o;
    switch (style.mode) {
    case TableMode::json: {
        Value rows = Value::array();
        for (const auto& r : v.rows) {
            Value obj = Value::object();
            for (size_t i : sel) obj.set(v.columns[i].name, r[i].json);
            rows.push(obj);
        }
        Value root = Value::object();
        root.set(v.name, rows);
        return to_json(root);
    }
    case TableMode::pairs:
        for (const auto& r : v.rows) {
            std::string line;
            for (size_t i : sel)
                line += (line.empty() ? "" : " ") + v.columns[i].name + "=\"" + pair_escape(r[i].text) + "\"";
            o += line + "\n";
        }
        return o;
    case TableMode::raw:
        if (style.headings) {
            std::string line;
            for (size_t i : sel) line += (line.empty() ? "" : " ") + heading(v.columns[i]);
            o += line + "\n";
        }
        for (const auto& r : v.rows) {
            std::string line;
            for (size_t i : sel) line += (line.empty() ? "" : " ") + raw_escape(r[i].text);
            o += line + "\n";
        }
        return o;
    case TableMode::columns: {
        std::vector<Table::Column> cols;
        for (size_t i : sel) cols.push_back({heading(v.columns[i]), v.columns[i].right});
        Table t(cols);
        for (const auto& r : v.rows) {
            std::vector<std::string> cells;
            for (size_t i : sel) cells.push_back(r[i].text);
            t.add(std::move(cells));
        }
        return t.render(style.headings);
    }
    }
    return o;
}

std::string columns_help(const std::vector<TableColumn>& cols) {
    size_t w = 0;
    for (const auto& c : cols) w = std::max(w, c.name.size());
    std::string o;
    for (const auto& c : cols)
        o += fmt::format("  {:<{}}  {}{}\n", c.name, w, c.help, c.shown ? "" : " (not shown by default)");
    return o;
}

}  // namespace kmemkit
