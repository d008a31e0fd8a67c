// vmlayout: the kernel virtual memory map of a board.
#include <fstream>

#include "common.hpp"
#include "kmemkit/dmesg.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/layout_render.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/svg.hpp"
#include "kmemkit/sweep.hpp"

using namespace kmemkit;

namespace {
// --from-dmesg without -p: the board is the log's, with the options' overrides
Board board_of_log(const DmesgFacts& f, const cli::BoardOptions& o) {
    BoardOverrides ov;
    if (!o.mem.empty()) ov.mem = parse_size(o.mem);
    for (const auto& r : o.ram) ov.ram.push_back(parse_ram_spec(r));
    if (o.cmdline_opt && o.cmdline_opt->count()) ov.cmdline = o.cmdline;
    if (!o.vmsplit.empty()) ov.vmsplit = o.vmsplit;
    if (!o.highmem.empty()) ov.highmem = o.highmem == "on" || o.highmem == "yes" || o.highmem == "true";
    return make_board(profile_from_dmesg(f, o.kernel.empty() ? std::nullopt : std::optional<std::string>(o.kernel)), ov);
}
}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Print the kernel virtual memory map of a board, as its kernel computes it."};
    cli::BoardOptions board;
    cli::OutputOptions output;
    std::string format = "text", dmesg, svg, sweep;
    bool explain = false, diagram = false, emit_profile = false, log_scale = false;
    int rows = 48;
    cli::add_board_options(app, board);
    cli::add_output_options(app, output);
    app.add_option("--format", format, "text, kernel (the block mem_init prints), json or kv")
        ->check(CLI::IsMember({"text", "kernel", "json", "kv"}));
    app.add_flag("--explain", explain, "Show every boundary with its formula and the values it came from");
    app.add_flag("--diagram", diagram, "Draw the 4 GB address space as a vertical bar");
    app.add_option("--rows", rows, "Height of --diagram in lines")->check(CLI::Range(8, 1000));
    app.add_option("--from-dmesg", dmesg, "Check a boot log (FILE or - for stdin) against the model of its board");
    app.add_flag("--emit-profile", emit_profile, "With --from-dmesg: print the profile rebuilt from the log (YAML)");
    app.add_option("--svg", svg, "Write the --diagram picture as SVG to FILE (- for stdout)");
    app.add_flag("--log-scale", log_scale, "With --svg: region heights by log2(size)");
    app.add_option("--sweep", sweep, "Table of the layout as mem= or vmalloc= grows: mem=128M..2G:128M");
    return cli::run(app, "vmlayout", argc, argv, &board, [&] {
        if (output.json) format = "json";
        if (output.kv) format = "kv";
        if (!dmesg.empty()) {
            DmesgFacts f = parse_dmesg(read_dmesg_file(dmesg));
            if (emit_profile) {
                cli::out(profile_yaml_from_dmesg(f, board.kernel.empty() ? std::nullopt : std::optional<std::string>(board.kernel)));
                return 0;
            }
            bool from_log = board.profile.empty();
            Board b = from_log ? board_of_log(f, board) : cli::load_board(board);
            if (!from_log && !(board.cmdline_opt && board.cmdline_opt->count()) && f.cmdline)
                b.cmdline = parse_cmdline(*f.cmdline);
            Layout l = compute_layout(b);
            Comparison c = compare_with_log(f, b, l, from_log);
            cli::out(format == "json" ? to_json(comparison_value(c, f, b)) : comparison_text(c, f, b));
            return c.agree() ? 0 : 1;
        }
        Board b = cli::load_board(board);
        if (!sweep.empty()) {
            SweepSpec s = parse_sweep_spec(sweep);
            auto r = sweep_layout(b, s);
            cli::out(format == "json" ? to_json(sweep_value(r, s, b)) : sweep_table(r, s, b));
            return 0;
        }
        Layout l = compute_layout(b);
        // the text views list the notes themselves; the others say them on stderr
        if (format != "text" || diagram || !svg.empty())
            for (const auto& n : l.notes) cli::warn(n);
        if (!svg.empty()) {
            std::string text = layout_svg(l, SvgOptions{log_scale});
            if (svg == "-") cli::out(text);
            else if (!(std::ofstream(svg, std::ios::binary) << text)) throw Error("cannot write the SVG", svg);
        } else if (explain) cli::out(layout_explain(l, b.profile));
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
