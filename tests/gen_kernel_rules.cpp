// Prints doc/kernel-rules.md from the kernel rule tables (ctest rules.doc
// compares; the kernel-rules-doc target rewrites the file).
#include <cstdio>

#include "kmemkit/kernel/rules_doc.hpp"

int main() {
    std::string s = kmemkit::kernel_rules_markdown();
    return std::fwrite(s.data(), 1, s.size(), stdout) == s.size() && std::fflush(stdout) == 0 ? 0 : 1;
}
