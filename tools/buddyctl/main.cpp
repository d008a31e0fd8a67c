// buddyctl: the kernel's buddy allocator and vmalloc space, replaying allocation traces.
#include <fmt/format.h>
#include <unistd.h>

#include "common.hpp"
#include "complete.hpp"
#include "filter.hpp"
#include "help.hpp"
#include "kmemkit/error.hpp"
#include "kmemkit/stream/grammar.hpp"
#include "kmemkit/trace.hpp"

using namespace kmemkit;

int main(int argc, char** argv) {
    CLI::App app{"Replay page and vmalloc allocation traces against the kernel's buddy allocator of a board."};
    cli::BoardOptions board;
    std::vector<std::string> files;
    bool strict = false, fail_on_enomem = false, summary = false;
    long min_free_kbytes = -1;
    cli::add_board_options(app, board);
    app.add_option("FILE", files, "Trace files (default: stdin, which must not be a terminal)");
    app.add_flag("--strict", strict, "A double free, unknown id, wrong order or unknown verb is an error (exit 1)");
    app.add_flag("--fail-on-enomem", fail_on_enomem, "Exit 1 if any allocation failed");
    app.add_flag("--summary", summary,
                 "Print ops, failures, peak pages in use and the fragmentation indices on stderr at the end");
    app.add_option("--min-free-kbytes", min_free_kbytes, "Use this vm.min_free_kbytes instead of the era's formula")
        ->default_str("the era's formula")
        ->check(CLI::Range(0L, 1L << 30));
    app.fallthrough();
    auto* info = app.add_subcommand("info", "The state after boot, or after replaying FILE...: /proc/buddyinfo, "
                                            "watermarks, fragmentation indices");
    cli::OutputOptions output;
    cli::add_output_options(*info, output);
    cli::TableOptions tables;
    cli::add_table_options(*info, tables, buddy_orders_columns(), "the free blocks per zone and order");
    std::vector<std::string> info_files;
    info->add_option("FILE", info_files, "Trace files to replay first (their annotated lines are not printed)");
    auto* gen = app.add_subcommand("gen", "Write a reproducible random trace to stdout");
    GenOptions g;
    std::string mix, gfp;
    gen->add_option("--seed", g.seed, "PRNG seed (splitmix64)");
    gen->add_option("--ops", g.ops, "Number of lines")->check(CLI::Range(uint64_t(0), uint64_t(1) << 40));
    auto* mix_opt = gen->add_option("--mix", mix,
                    "Verb weights, e.g. alloc=60,free=40,vmalloc=2,vfree=2,show=0,kmap=5,kunmap=5,kmap_atomic=5,"
                    "kunmap_atomic=5")
        ->type_name("WEIGHTS")
        ->default_str("alloc=60,free=40");
    // completes to the stream verbs parse_gen_mix takes (the one list of them), as "verb="
    cli::complete_values(mix_opt, {[] {
                                       std::vector<std::string> verbs;
                                       for (size_t i = 0; i < kStreamVerbCount; ++i) try {
                                               std::string v(kStreamVerbs[i].name);
                                               GenOptions probe;
                                               parse_gen_mix("alloc=1," + v + "=1", probe);
                                               verbs.push_back(v + "=");
                                           } catch (const Error&) {
                                           }
                                       return verbs;
                                   },
                                   true});
    gen->add_option("--gfp", gfp, "GFP flag sets with weights, e.g. GFP_KERNEL=80,GFP_HIGHUSER=15,GFP_ATOMIC=5")
        ->type_name("WEIGHTS")
        ->default_str("GFP_KERNEL");
    gen->add_option("--max-order", g.max_order, "Orders 0..N (uniform)")->check(CLI::Range(0u, 63u));
    gen->add_option("--max-live", g.max_live, "Free instead of allocating above N live ids (0: no limit)");
    gen->add_option("--vmalloc-pages", g.vmalloc_max_pages, "vmalloc sizes of 1..N pages")
        ->check(CLI::Range(uint64_t(1), uint64_t(1) << 20));
    gen->add_option("--cpus", g.cpus, "kmap_atomic on cpus 0..N-1 (at most the board's nr_cpus)")
        ->check(CLI::Range(1u, 4096u));
    gen->add_option("--max-kmaps", g.max_kmaps, "At most N live kmaps (kunmap instead above it)")
        ->check(CLI::Range(1u, 1u << 20));
    gen->add_option("--atomic-depth", g.atomic_depth, "At most N nested kmap_atomic per cpu (1 to 10)")
        ->check(CLI::Range(1u, 10u));
    app.require_subcommand(0, 1);
    cli::set_examples(app, {"buddyctl gen --ops 100000 | buddyctl -p s3c6410 --summary", "buddyctl -p imx6q info"});
    cli::set_examples(*info, {"buddyctl -p imx6q info", "buddyctl -p s3c6410 --mem 128M info --kv"});
    cli::set_examples(*gen, {"buddyctl gen --seed 7 --ops 1000 --mix alloc=60,free=40,vmalloc=5,vfree=5",
                             "buddyctl gen --gfp GFP_KERNEL=80,GFP_HIGHUSER=20 | buddyctl -p imx6q"});

    return cli::run(app, "buddyctl", argc, argv, &board, [&] {
        // never ignore an argument: a FILE before a subcommand, or given to gen, is a usage error
        if ((*gen || *info) && !files.empty())
            throw Error(*gen ? fmt::format("gen takes no FILE ('{}'): it writes the trace to stdout", files[0])
                             : fmt::format("'{}' before 'info': give the trace files after it, buddyctl info FILE...",
                                           files[0]));
        if (*gen) {
            if (!mix.empty()) parse_gen_mix(mix, g);
            if (!gfp.empty()) parse_gen_gfp(gfp, g);
            OutBuf out;
            generate_trace(g, out);
            out.flush();
            return 0;
        }
        Board b = cli::load_board(board);
        Simulation sim = make_simulation(b, min_free_kbytes);
        Replayer rep(*sim.buddy, *sim.vm, strict, sim.pae);
        auto replay = [&](const std::vector<std::string>& inputs, OutBuf& out) {
            return cli::run_filter(inputs, out, cli::FilterSpec{kBuddyctl, strict},
                                   [&](const StreamLine& l, OutBuf& o, StreamError& err, bool& se) {
                                       return rep.handle(l, o, err, &se);
                                   });
        };
        if (*info) {
            // `info FILE...`: the state after the trace (its errors as a replay's, then exit 2)
            cli::FilterResult res;
            if (!info_files.empty()) {
                OutBuf discard(cli::open_null_output());
                res = replay(info_files, discard);
            }
            if (tables.any() && output.kv) throw Error("-o/-n/-r/-P print the per-order table: they do not go with --kv");
            if (tables.any()) cli::out(render_table(buddy_orders_view(*sim.buddy), tables.style(output.json)));
            else if (output.json) cli::out(to_json(buddy_info_value(*sim.buddy, false)));
            else if (output.kv) cli::out(to_field_lines(buddy_info_value(*sim.buddy, true)));
            else cli::out(buddy_info_text(*sim.buddy));
            return res.errors > res.strict_errors ? 2 : res.strict_errors ? 1 : 0;
        }
        if (files.empty() && isatty(0))
            throw Error("no trace: give FILE... or pipe a trace into stdin (see 'buddyctl --help', 'buddyctl gen')");
        OutBuf out;
        auto res = replay(files, out);
        const ReplayStats& s = rep.stats();
        if (summary) {
            std::fprintf(stderr,
                         "buddyctl: summary: %llu lines, %llu ops (%llu alloc, %llu free, %llu vmalloc, %llu vfree, "
                         "%llu ioremap), %llu failed (ENOMEM), %llu misused (EINVAL), peak %llu pages in use, "
                         "%llu in use at the end\n",
                         (unsigned long long)res.lines, (unsigned long long)s.ops, (unsigned long long)s.allocs,
                         (unsigned long long)s.frees, (unsigned long long)s.vmallocs, (unsigned long long)s.vfrees,
                         (unsigned long long)s.ioremaps, (unsigned long long)s.enomem, (unsigned long long)s.einval,
                         (unsigned long long)s.peak_pages, (unsigned long long)sim.buddy->pages_in_use());
            // the debugfs extfrag files of the final state, one line per zone
            for (const auto& [name, text] : {std::pair{"unusable_index", sim.buddy->unusable_index()},
                                             std::pair{"extfrag_index", sim.buddy->extfrag_index()}})
                for (size_t i = 0, j; i < text.size(); i = j + 1) {
                    j = text.find('\n', i);
                    std::fprintf(stderr, "buddyctl: summary: %s: %.*s\n", name, int(j - i), text.data() + i);
                }
        }
        if (res.errors > res.strict_errors) return 2;
        if (res.strict_errors) return 1;
        if (fail_on_enomem && s.enomem) return 1;
        return 0;
    });
}
