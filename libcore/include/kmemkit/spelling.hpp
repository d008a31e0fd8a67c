// "Did you mean": the one edit distance of kmemkit (stream verbs, options, profile names).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kmemkit {

// Optimal string alignment distance: insertions, deletions, substitutions and
// transpositions of adjacent characters each count 1 ("--jsno" is 1 from "--json").
size_t edit_distance(std::string_view a, std::string_view b);

// edit_distance(a, b) == 1, in one pass without the table: the stream filters ask it of every
// line of an unknown verb against each verb, so it must cost no more than a compare.
bool one_edit_apart(std::string_view a, std::string_view b);

// The one candidate nearest to `word` within `max_edits` (ties: none, the hint would be a
// guess); empty when there is none.  A word shorter than 3 characters gets no hint.
std::string nearest_word(std::string_view word, const std::vector<std::string>& candidates, size_t max_edits);

}  // namespace kmemkit
