// kmapsim: persistent kmap (pkmap) and kmap_atomic/kmap_local fixmap slots,
// as a filter over the kmemkit stream, or `show` for the tables.
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

#include "common.hpp"
#include "filter.hpp"
#include "help.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/kmap.hpp"

using namespace kmemkit;

int main(int argc, char** argv) {
    CLI::App app{"Simulate kmap()/kunmap() on the pkmap area and kmap_atomic() fixmap slots over a kmemkit stream."};
    cli::BoardOptions board;
    cli::OutputOptions output;
    std::vector<std::string> files;
    bool summary = false, all = false;
    cli::add_board_options(app, board);
    app.add_flag("--summary", summary, "Print pkmap use, peak, flushes and would-sleep events (stderr in filter mode)");
    app.add_option("files", files, "Stream files to read (default: standard input; - is standard input)");
    CLI::App* show = app.add_subcommand("show", "Print the pkmap table and the per-cpu kmap_atomic slots (after FILEs, if given)");
    show->fallthrough();
    cli::add_output_options(*show, output);
    show->add_option("files", files, "Stream files to replay first (- is standard input)");
    show->add_flag("--all", all, "List every pkmap entry and kmap_atomic slot, free ones too");
    cli::TableOptions tables;
    bool atomic = false;
    cli::add_table_options(*show, tables, kmap_pkmap_columns(), "the pkmap entries");
    cli::set_help_section(*show, "Available output columns (with --atomic: the kmap_atomic slots):",
                          columns_help(kmap_atomic_columns()));
    show->add_flag("--atomic", atomic, "With -o/-n/-r/-P: the kmap_atomic slots' table instead of the pkmap entries'");
    const char* pipeline =
        "buddyctl gen --mix alloc=60,free=40,kmap=10,kunmap=10 --gfp GFP_HIGHUSER=1 | buddyctl -p imx6q | ";
    cli::set_examples(app, {std::string(pipeline) + "kmapsim -p imx6q --summary", "kmapsim -p imx6q show --all"});
    cli::set_examples(*show, {"kmapsim -p imx6q show", std::string(pipeline) + "kmapsim -p imx6q show -"});
    return cli::run(app, "kmapsim", argc, argv, &board, [&] {
        Board b = cli::load_board(board);
        Layout l = compute_layout(b);
        KmapStream ks(kmap_config(l, b.profile));
        bool showing = show->parsed();
        if (!showing && files.empty()) cli::hint_if_terminal("the kmemkit stream");
        if (!showing || !files.empty()) {
            // show: read the stream for its state only; its lines go to /dev/null
            int fd = showing ? cli::open_null_output() : 1;
            OutBuf out(fd);
            auto res = cli::run_filter(
                files, out, cli::FilterSpec{kKmapsim},
                [&](const StreamLine& line, OutBuf& o, StreamError& err, bool&) { return ks.handle(line, o, err); },
                [&](const StreamLine& line) { ks.read(line); });
            if (!showing) {
                if (summary) std::fputs(kmap_summary_text(ks.sim()).c_str(), stderr);
                return res.errors ? 2 : 0;
            }
            if (fd > 1) ::close(fd);
            if (res.errors) return 2;
        }
        if (atomic && !tables.any()) throw Error("--atomic chooses the table of -o/-n/-r/-P: give one of them");
        if (tables.any() && (output.kv || summary))
            throw Error(std::string("-o/-n/-r/-P print a table: they do not go with ") + (summary ? "--summary" : "--kv"));
        if (tables.any())
            cli::out(render_table(atomic ? kmap_atomic_view(ks.sim(), all) : kmap_pkmap_view(ks.sim(), all),
                                  tables.style(output.json)));
        else if (output.json) cli::out(to_json(summary ? kmap_summary_value(ks.sim()) : kmap_value(ks.sim(), all)));
        else if (output.kv) cli::out(to_field_lines(kmap_summary_value(ks.sim())));
        else cli::out(summary ? kmap_summary_text(ks.sim()) : kmap_table(ks.sim(), all));
        return 0;
    });
}
