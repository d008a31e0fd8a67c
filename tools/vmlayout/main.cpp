// vmlayout: the kernel virtual memory map of a board.

#include "common.hpp"
#include "help.hpp"
#include "kmemkit/dmesg.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/io.hpp"
#include "kmemkit/layout_render.hpp"
#include "kmemkit/number.hpp"
#include "kmemkit/svg.hpp"
#include "kmemkit/sweep.hpp"

using namespace kmemkit;

namespace {
// --from-dmesg without -p: the board is the log's, with the options' overrides
BoardOverrides overrides_of(const cli::BoardOptions& o) {
    BoardOverrides ov;
    if (!o.mem.empty()) ov.mem = parse_size(o.mem);
    for (const auto& r : o.ram) ov.ram.push_back(parse_ram_spec(r));
    if (o.cmdline_opt && o.cmdline_opt->count()) ov.cmdline = o.cmdline;
    if (!o.vmsplit.empty()) ov.vmsplit = o.vmsplit;
    if (!o.highmem.empty()) ov.highmem = o.highmem == "on" || o.highmem == "yes" || o.highmem == "true";
    return ov;
}
}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Print the kernel virtual memory map of a board, as its kernel computes it."};
    cli::BoardOptions board;
    cli::OutputOptions output;
    std::string format = "text", dmesg, svg, sweep;
    bool explain = false, diagram = false, emit_profile = false, log_scale = false;
    int rows = 48;
    cli::TableOptions tables;
    cli::add_board_options(app, board);
    cli::add_output_options(app, output);
    cli::add_table_options(app, tables, regions_columns(), "the regions");
    auto* format_opt = app.add_option("--format", format, "text, kernel (the block mem_init prints), json or kv")
                           ->type_name("FORMAT")
                           ->check(CLI::IsMember({"text", "kernel", "json", "kv"}));
    auto* explain_opt = app.add_flag("--explain", explain, "Show every boundary with its formula and the values it came from (text, or with --json an \"explain\" array)");
    auto* diagram_opt = app.add_flag("--diagram", diagram, "Draw the 4 GB address space as a vertical bar");
    auto* rows_opt = app.add_option("--rows", rows, "With --diagram: lines of the bar, boundary lines not counted")->check(CLI::Range(8, 1000));
    auto* dmesg_opt = app.add_option("--from-dmesg", dmesg, "Check a boot log (FILE or - for stdin) against the model of its board")
                         ->type_name("FILE");
    auto* emit_opt = app.add_flag("--emit-profile", emit_profile, "With --from-dmesg: print the profile rebuilt from the log (YAML)");
    auto* svg_opt = app.add_option("--svg", svg, "Write the --diagram picture as SVG to FILE (- for stdout)")
                       ->type_name("FILE");
    auto* log_opt = app.add_flag("--log-scale", log_scale, "With --svg or --diagram: region heights by log2(size)");
    auto* sweep_opt = app.add_option("--sweep", sweep, "Table of the layout as mem= or vmalloc= grows: mem=128M..2G:128M")
                         ->type_name("SPEC");
    cli::set_examples(app, {"vmlayout -p s3c6410 --mem 512M --format=kernel", "dmesg | vmlayout --from-dmesg -"});
    // One view per run: a combination that one of them would silently ignore is a usage error.
    app.parse_complete_callback([&] {
        auto given = [](const CLI::Option* o) { return o->count() > 0; };
        const CLI::Option* views[] = {diagram_opt, svg_opt, sweep_opt, dmesg_opt};
        const CLI::Option* view = nullptr;
        for (const CLI::Option* o : views)
            if (given(o)) {
                if (view) throw CLI::ExcludesError(view->get_name(), o->get_name());
                view = o;
            }
        if (given(format_opt) && (output.json || output.kv) && format != (output.json ? "json" : "kv"))
            throw CLI::ExcludesError(output.json ? "--json" : "--kv", "--format " + format);
        if (output.json) format = "json";
        if (output.kv) format = "kv";
        const CLI::Option* format_src = output.json || output.kv ? nullptr : format_opt;
        auto format_name = [&] { return format_src ? "--format " + format : "--" + format; };
        if ((view == diagram_opt || view == svg_opt) && format != "text")
            throw CLI::ExcludesError(view->get_name(), format_name());
        if ((view == sweep_opt || view == dmesg_opt) && format != "text" && format != "json")
            throw CLI::ExcludesError(view->get_name(), format_name());
        if (given(explain_opt) && view) throw CLI::ExcludesError("--explain", view->get_name());
        // -o/-n/-r/-P print the region table alone (as text, or its rows as JSON with --json)
        if (tables.any() && (view || given(explain_opt) || (format != "text" && format != "json")))
            throw CLI::ExcludesError("-o/-n/-r/-P", view ? view->get_name() : given(explain_opt) ? "--explain" : format_name());
        if (given(explain_opt) && format == "kernel") throw CLI::ExcludesError("--explain", "--format kernel");
        if (given(log_opt) && view != diagram_opt && view != svg_opt) throw CLI::RequiresError("--log-scale", "--svg or --diagram");
        if (given(rows_opt) && view != diagram_opt) throw CLI::RequiresError("--rows", "--diagram");
        if (given(emit_opt) && view != dmesg_opt) throw CLI::RequiresError("--emit-profile", "--from-dmesg");
        if (given(emit_opt) && format != "text") throw CLI::ExcludesError("--emit-profile", format_name());
    });
    return cli::run(app, "vmlayout", argc, argv, &board, [&] {
        if (!dmesg.empty()) {
            if (dmesg == "-") cli::claim_stdin("--from-dmesg -");
            DmesgFacts f = parse_dmesg(read_dmesg_file(dmesg));
            bool from_log = board.profile.empty();
            std::optional<std::string> kernel;
            if (!board.kernel.empty()) kernel = board.kernel;
            // a log that names no version: the range of releases it matches (exit 2 when none gives a profile)
            std::optional<AssumedRange> range;
            if (from_log && !kernel && !f.version) range = assume_kernel_range(f, overrides_of(board)), kernel = range->kernel;
            if (emit_profile) {
                if (range) cli::note(range->note);
                cli::out(profile_yaml_from_dmesg(f, kernel, range ? "assumed: the log names no version (see the note)" : ""));
                return 0;
            }
            Board b = from_log ? make_board(profile_from_dmesg(f, kernel), overrides_of(board)) : cli::load_board(board);
            if (!from_log && !(board.cmdline_opt && board.cmdline_opt->count()) && f.cmdline)
                b.cmdline = parse_cmdline(*f.cmdline);
            Layout l = compute_layout(b);
            Comparison c = compare_with_log(f, b, l, from_log);
            if (range) c.notes.insert(c.notes.begin(), range->note);
            cli::out(format == "json" ? to_json(comparison_value(c, f, b)) : comparison_text(c, f, b));
            return c.agree() ? 0 : 1;
        }
        Board b = cli::load_board(board);
        if (!sweep.empty()) {
            SweepSpec s = parse_sweep_spec(sweep);
            Board sb = sweep_board(b, s);
            for (const auto& n : sb.notes) cli::note(n);
            auto r = sweep_layout(sb, s);
            cli::out(format == "json" ? to_json(sweep_value(r, s, sb)) : sweep_table(r, s, sb));
            return 0;
        }
        Layout l = compute_layout(b, /*keep_all=*/true);
        // the text views list the notes themselves; the others say them on stderr
        if (format != "text" || diagram || !svg.empty())
            for (const auto& n : l.notes) cli::warn(n);
        if (!svg.empty()) {
            std::string text = layout_svg(l, SvgOptions{log_scale, 1000, cli::invocation(argc, argv, "--svg")});
            if (svg == "-") cli::out(text);
            else write_output(svg, text, "the SVG");
        } else if (diagram) cli::out(layout_diagram(l, rows, log_scale));
        else if (tables.any()) cli::out(render_table(regions_view(l), tables.style(format == "json")));
        else if (format == "json") cli::out(to_json(layout_value(l, b.profile, false, explain)));
        else if (format == "kv") cli::out(to_field_lines(layout_value(l, b.profile, true, explain)));
        else if (explain) cli::out(layout_explain(l, b.profile));
        else if (format == "kernel") {
            std::string why;
            std::string text = layout_kernel_text(l, b.profile, &why);
            if (!why.empty()) cli::warn(why);
            cli::out(text);
        } else cli::out(layout_table(l, b.profile));
        return 0;
    });
}
