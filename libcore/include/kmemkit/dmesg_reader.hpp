// Reading a boot log as people publish it: the layer in front of the fact
// extraction of dmesg.hpp.  A log arrives from a forum code block, a mail
// reply, journalctl, syslog, a serial console or a web page; the reader turns
// it into the kernel's own lines:
//   - CRLF, trailing blanks, blank lines, HTML entities (&gt; &lt; &amp; ...),
//     non-breaking spaces;
//   - mail quote marks of any depth ("> ", "> >> ") and the publishing
//     indentation (four spaces, a tab: the indentation common to the log or
//     to its quoted block), keeping the kernel's own indentation ("    vector",
//     "  Normal zone");
//   - the record prefixes: journalctl/syslog ("Dec 06 12:00:00 host kernel: "),
//     dmesg -T ("[Sun Dec  6 12:00:00 2026] "), dmesg -x ("kern  :info  : "),
//     /dev/kmsg ("6,123,0,-;"), "<6>", "[    0.000000] ", Android "<6>[ts] ";
//   - multi-line records: dmesg(1)/journalctl continuation indentation, the
//     "\x0a" of /dev/kmsg and journal exports;
//   - lines the capture wrapped (the rest of a line on a line of its own,
//     without a timestamp, or a "Linux version"/"Memory:"/"Kernel command
//     line:" line continued on the next) rejoined; lines it cut at a fixed
//     width marked.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kmemkit {

// One kernel line of the log.
struct LogLine {
    size_t lineno = 0;       // 1-based, the line of the published input where it starts
    size_t raw_len = 0;      // width as printed: text + the 15 columns of "[    0.000000] " on record lines
                             // (what a capture's fixed-width cut or wrap is measured on)
    std::string text;        // the kernel's text, its own indentation kept
    bool cut = false;        // the capture cut the line at a fixed width (its end is lost)
};

// What the reader removed or rejoined, for the note of the comparison.
struct ReadReport {
    size_t input_lines = 0;
    std::vector<std::pair<std::string, size_t>> removed;  // ("journalctl prefixes", lines), in order of first use
    size_t blank = 0;             // blank lines dropped
    size_t other_programs = 0;    // journal/syslog lines of programs other than the kernel
    size_t rejoined = 0;          // wrapped lines rejoined to the line they continue
    std::vector<size_t> rejoined_at;   // the lines (input numbers) that were continued
    size_t split = 0;             // "\x0a" joins split into lines
    size_t cut_width = 0;         // lines cut at this width (0: none)
    std::vector<size_t> cut_lines;
    // "removed ... ; rejoined ..." (empty when the log was read as it is)
    std::string summary() const;
};

struct ReadLog {
    std::vector<LogLine> lines;
    ReadReport report;
};

// Reads the text of a published log (any mix of the forms above).  Never
// throws; the size limit is the caller's.
ReadLog read_published_log(std::string_view text);

}  // namespace kmemkit
