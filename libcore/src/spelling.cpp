#include "kmemkit/spelling.hpp"

#include <algorithm>

namespace kmemkit {

size_t edit_distance(std::string_view a, std::string_view b) {
    const size_t n = a.size(), m = b.size();
    // three rows of the Damerau (OSA) table: i-2, i-1, i (on the stack for the usual short words)
    size_t stack[3 * 65];
    std::vector<size_t> heap;
    size_t* base = stack;
    if (m + 1 > 65) heap.resize(3 * (m + 1)), base = heap.data();
    size_t *r0 = base, *r1 = base + (m + 1), *r2 = base + 2 * (m + 1);
    for (size_t j = 0; j <= m; ++j) r1[j] = j;
    for (size_t i = 1; i <= n; ++i) {
        r2[0] = i;
        for (size_t j = 1; j <= m; ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            r2[j] = std::min({r1[j] + 1, r2[j - 1] + 1, r1[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) r2[j] = std::min(r2[j], r0[j - 2] + 1);
        }
        std::swap(r0, r1);
        std::swap(r1, r2);
    }
    return r1[m];
}

bool one_edit_apart(std::string_view a, std::string_view b) {
    if (a == b) return false;
    if (a.size() > b.size()) std::swap(a, b);
    if (b.size() - a.size() > 1) return false;
    size_t i = 0;
    while (i < a.size() && a[i] == b[i]) ++i;
    if (a.size() == b.size())
        return a.substr(i + 1) == b.substr(i + 1) ||
               (i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2));
    return a.substr(i) == b.substr(i + 1);
}

std::string nearest_word(std::string_view word, const std::vector<std::string>& candidates, size_t max_edits) {
    if (word.size() < 3) return {};
    size_t best = max_edits + 1;
    const std::string* hit = nullptr;
    bool tie = false;
    for (const auto& c : candidates) {
        if (c == word) return {};
        size_t lo = c.size() > word.size() ? c.size() - word.size() : word.size() - c.size();
        if (lo > max_edits) continue;
        size_t d = edit_distance(word, c);
        if (d < best) best = d, hit = &c, tie = false;
        else if (d == best && hit && *hit != c) tie = true;
    }
    return hit && !tie ? *hit : std::string();
}

}  // namespace kmemkit
