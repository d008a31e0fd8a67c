// `TOOL --complete`: what the completion scripts read, taken from the CLI11 declarations.
#include <catch2/catch.hpp>

#include "complete.hpp"

using kmemkit::cli::completion_text;

namespace {
// The line of `name` in the completion text ("" when there is none)
std::string line_of(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    std::string l;
    while (std::getline(in, l))
        if (l.find("\t" + name + "\t") != std::string::npos || l.find("\t" + name + " ") != std::string::npos) return l;
    return "";
}
}  // namespace

TEST_CASE("completion: flags, values, words, files and hidden options", "[complete]") {
    CLI::App app{"test"};
    bool flag = false;
    std::string format, highmem, log, secret;
    app.add_flag("--json", flag, "Print JSON");
    app.add_option("--format", format, "how")->check(CLI::IsMember({"text", "kernel"}));
    app.add_option("--highmem", highmem, "on or off")->type_name("on|off");
    app.add_option("--from-dmesg", log, "a log")->type_name("FILE");
    app.add_option("--secret", secret, "hidden")->group("");
    std::string t = completion_text(app, {});
    CHECK(line_of(t, "--json") == "option\t--json\tflag\t-\tPrint JSON");
    CHECK(line_of(t, "--format") == "option\t--format\tvalue words\ttext kernel\thow");
    CHECK(line_of(t, "--highmem") == "option\t--highmem\tvalue words\ton off\ton or off");
    CHECK(line_of(t, "--from-dmesg") == "option\t--from-dmesg\tvalue file\t-\ta log");
    CHECK(line_of(t, "-h") == "option\t-h --help\tflag\t-\tPrint this help message and exit");
    CHECK(t.find("--secret") == std::string::npos);
}

TEST_CASE("completion: declared values, subcommands and fallthrough", "[complete]") {
    CLI::App app{"test"};
    std::string profile, files;
    bool all = false;
    auto* p = app.add_option("-p,--profile", profile, "board")->type_name("NAME|FILE");
    kmemkit::cli::complete_values(p, {[] { return std::vector<std::string>{"imx6q", "s3c6410"}; }, false, true});
    app.fallthrough();
    CLI::App* show = app.add_subcommand("show", "Print the table");
    show->add_flag("--all", all, "every entry");
    show->add_option("files", files, "Stream files");
    std::string top = completion_text(app, {});
    CHECK(line_of(top, "show") == "command\tshow\tPrint the table");
    CHECK(line_of(top, "-p") == "option\t-p --profile\tvalue file words\timx6q s3c6410\tboard");
    CHECK(top.find("--all") == std::string::npos);
    std::string sub = completion_text(app, {"show"});
    CHECK(line_of(sub, "--all") == "option\t--all\tflag\t-\tevery entry");
    CHECK(line_of(sub, "files") == "positional\tfiles\tvalue file\t-\tStream files");
    CHECK(line_of(sub, "-p") == line_of(top, "-p"));   // the parent's option, through fallthrough
    CHECK(sub.find("command\t") == std::string::npos);
}

TEST_CASE("completion: -o/--output columns from the command's --help", "[complete]") {
    std::string cols;
    SECTION("an indented column list under a 'columns:' heading") {
        CLI::App app{"test"};
        app.add_option("-o,--output", cols, "Columns to print");
        app.footer("Available output columns:\n  name   the region\n  start  first address\n  size   bytes\n\nSee x(1).");
        CHECK(line_of(completion_text(app, {}), "-o") == "option\t-o --output\tvalue list\tname start size\tColumns to print");
    }
    SECTION("a description that names columns is no heading") {
        CLI::App app{"test"};
        app.add_option("-o,--output", cols, "The columns of the map to print, e.g. name,size (+LIST: the default ones)");
        CHECK(line_of(completion_text(app, {}), "-o") ==
              "option\t-o --output\tvalue\t-\tThe columns of the map to print, e.g. name,size (+LIST: the default ones)");
    }
    SECTION("a declared list wins") {
        CLI::App app{"test"};
        auto* o = app.add_option("-o,--output", cols, "Columns to print");
        kmemkit::cli::complete_values(o, {[] { return std::vector<std::string>{"zone", "pfn"}; }, true});
        CHECK(line_of(completion_text(app, {}), "-o") == "option\t-o --output\tvalue list\tzone pfn\tColumns to print");
    }
}
