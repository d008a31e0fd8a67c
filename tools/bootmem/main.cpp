// bootmem: zones, page frames and the boot-time page totals of a board.
#include "common.hpp"
#include "help.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/zones_render.hpp"

using namespace kmemkit;

int main(int argc, char** argv) {
    CLI::App app{"Print the zones, pfns and boot-time page totals the kernel computes for a board."};
    cli::BoardOptions board;
    cli::OutputOptions output;
    std::string format = "text";
    cli::add_board_options(app, board);
    cli::add_output_options(app, output);
    cli::TableOptions tables;
    cli::add_table_options(app, tables, zones_columns(), "the zones");
    app.add_option("--format", format, "text, kernel (the lines that kernel prints at boot), json or kv")
        ->type_name("FORMAT")
        ->check(CLI::IsMember({"text", "kernel", "json", "kv"}));
    cli::set_examples(app, {"bootmem -p imx6q", "bootmem -p s3c6410 --mem 512M --format=kernel"});
    return cli::run(app, "bootmem", argc, argv, &board, [&] {
        Board b = cli::load_board(board);
        Layout l = compute_layout(b);
        NodeMemory n = compute_zones(b, l);
        if (output.json) format = "json";
        if (output.kv) format = "kv";
        if (tables.any() && format != "text" && format != "json")
            throw Error("-o/-n/-r/-P print the zone table: they do not go with " +
                        (output.kv ? std::string("--kv") : "--format " + format));
        if (tables.any()) cli::out(render_table(zones_view(n), tables.style(format == "json")));
        else if (format == "json") cli::out(to_json(zones_value(n, b.profile, false)));
        else if (format == "kv") cli::out(to_field_lines(zones_value(n, b.profile, true)));
        else if (format == "kernel") {
            std::string s;
            for (const auto& x : kernel_zone_lines(n, b, l)) s += x + "\n";
            cli::out(s);
        } else cli::out(zones_table(n, b.profile));
        return 0;
    });
}
