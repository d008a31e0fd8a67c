// The stream's grammar as data (man/kmemkit-stream.5): every verb, the filter that owns it (acts
// on it and appends its fields), the filters that read it (learn from its fields and pass it on
// unchanged) and the filters that insert it; and the one classification of a line for a filter.
// A line that is not the filter's passes through it byte for byte.
#pragma once
#include <cstdint>
#include <string_view>

namespace kmemkit {

enum StreamTool : uint8_t { kBuddyctl = 1, kKmapsim = 2, kVa2pa = 4 };

struct StreamVerb {
    std::string_view name;
    uint8_t owner;      // the StreamTool that acts on the line (0: none)
    uint8_t readers;    // StreamTools that learn from it
    uint8_t writers;    // StreamTools that insert such lines (0: written by the trace's author only)
    const char* what;   // one line: what the verb is
};

// The verbs, in kmemkit-stream(5)'s order.
extern const StreamVerb kStreamVerbs[];
extern const size_t kStreamVerbCount;
// The verb named `name`, or nullptr.
const StreamVerb* stream_verb(std::string_view name);
// The verb one edit (insertion, deletion, substitution, transposition) from `word`, for "did you
// mean"; nullptr when there is none or more than one.
const StreamVerb* stream_verb_near(std::string_view word);

// What a filter does with a line.
enum class LineRole : uint8_t {
    pass,      // blank, comment, another filter's verb, text that is not an event: written unchanged
    own,       // one of the filter's verbs: parsed (malformed is an error of the line) and handled
    read,      // a verb the filter learns from: parsed (malformed: passed on, its owner reports it)
    fields,    // va2pa: a line with a va= or pa= field, of any verb or none: its own when it parses
               // (malformed: an error, unless the verb is another filter's, which reports it)
    unknown,   // a first word that is no verb of the stream: passed on (an error under --strict
               // when the line has the shape of an event)
};
// The first token of a line, or "" when it is a key=value field or the line is blank (no
// allocation); `comment` is set for a '#' line.
std::string_view stream_first_token(std::string_view text, bool& comment);
struct LineClass {
    LineRole role = LineRole::pass;
    const StreamVerb* verb = nullptr;   // the verb's entry; nullptr for none or an unknown word
    std::string_view first;             // the first token; "" for a field, a blank or a comment line
};
// The role of `text` for `tool`, from its first token (and, for va2pa, whether a token starts
// with "va=" or "pa=").
LineClass classify_stream_line(StreamTool tool, std::string_view text);
// The same for a line that parse_stream_line() took (the filters parse first: a well-formed line
// is classified from its fields, not scanned twice).
struct StreamLine;
LineClass classify_parsed_line(StreamTool tool, const StreamLine& line);

}  // namespace kmemkit
