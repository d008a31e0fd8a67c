// vmlayout: the kernel virtual memory map of a board.
#include "common.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/layout_render.hpp"

using namespace kmemkit;

int main(int argc, char** argv) {
    CLI::App app{"Print the kernel virtual memory map of a board, as its kernel computes it."};
    cli::BoardOptions board;
    cli::OutputOptions output;
    std::string format = "text";
    bool explain = false, diagram = false;
    int rows = 48;
    cli::add_board_options(app, board);
    cli::add_output_options(app, output);
    app.add_option("--format", format, "text, kernel (the block mem_init prints), json or kv")
        ->check(CLI::IsMember({"text", "kernel", "json", "kv"}));
    app.add_flag("--explain", explain, "Show every boundary with its formula and the values it came from");
    app.add_flag("--diagram", diagram, "Draw the 4 GB address space as a vertical bar");
    app.add_option("--rows", rows, "Height of --diagram in lines")->check(CLI::Range(8, 1000));
    return cli::run(app, "vmlayout", argc, argv, &board, [&] {
        Board b = cli::load_board(board);
        Layout l = compute_layout(b);
        if (output.json) format = "json";
        if (output.kv) format = "kv";
        // the text views list the notes themselves; the others say them on stderr
        if (format != "text" || diagram)
            for (const auto& n : l.notes) cli::warn(n);
        if (explain) cli::out(layout_explain(l, b.profile));
        else if (diagram) cli::out(layout_diagram(l, rows));
        else if (format == "json") cli::out(to_json(layout_value(l, b.profile, false)));
        else if (format == "kv") cli::out(to_field_lines(layout_value(l, b.profile, true)));
        else if (format == "kernel") {
            std::string why;
            std::string text = layout_kernel_text(l, b.profile, &why);
            if (!why.empty()) cli::warn(why);
            cli::out(text);
        } else cli::out(layout_table(l, b.profile));
        return 0;
    });
}
