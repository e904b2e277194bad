using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using DropboxProvisioning.State;

namespace DropboxProvisioning.Reporting
{
    /// <summary>
    /// A <see cref="CycleReport"/> as one self-contained HTML page: inline CSS, an inline SVG chart, no script, no
    /// font, image or style sheet from anywhere else, so it opens the same offline, in a mail, or on a file share.
    /// Every value from the tenant is HTML-encoded.
    /// </summary>
    public static class HtmlReportRenderer
    {
        /// <summary>The chart's series: what each cycle did, in the colours of its legend.</summary>
        private static readonly (string Name, string Colour, Func<ReportCycle, int> Value)[] Series =
        {
            ("Created", "#2e7d32", c => c.Created),
            ("Updated", "#1565c0", c => c.Updated),
            ("Suspended", "#ef6c00", c => c.Suspended),
            ("Deleted", "#6a1b9a", c => c.Deleted),
            ("Failed", "#c62828", c => c.Failed),
        };

        public static string Render(CycleReport report)
        {
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
                .Append("<title>Dropbox provisioning report</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
            html.Append("<h1>Dropbox provisioning report</h1>\n<p class=\"meta\" id=\"summary\">")
                .Append(E($"Generated {report.Generated.ToUniversalTime():yyyy-MM-dd HH:mm} UTC · {report.Api} · status {report.ProvisioningStatus} · {report.ManagedUsers} managed users, {report.ManagedGroups} managed groups · state {report.StatePath}"))
                .Append("</p>\n");

            Section(html, "cycles", $"Last {report.Cycles.Count} cycles");
            if (report.Cycles.Count == 0) html.Append("<p class=\"empty\">No cycle has run yet.</p>\n");
            else
            {
                Chart(html, report.Cycles);
                Table(html, new[] { "Started (UTC)", "Cycle", "Mode", "Status", "Created", "Updated", "Suspended", "Deleted", "Failed", "Duration" },
                    report.Cycles.AsEnumerable().Reverse().Select(c => new[]
                    {
                        c.StartTime.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), c.CycleId, c.Mode, c.Status,
                        N(c.Created), N(c.Updated), N(c.Suspended), N(c.Deleted), N(c.Failed), Duration(c.Duration),
                    }), "cycle-table");
            }

            Section(html, "quarantine", "Quarantine");
            if (report.Quarantine == null) html.Append("<p class=\"ok\">The job is not in quarantine.</p>\n");
            else
            {
                var q = report.Quarantine;
                html.Append("<p class=\"alert\">").Append(E($"{q.Reason} since {q.CurrentBegan.ToUniversalTime():yyyy-MM-dd HH:mm} UTC; next attempt {q.NextAttempt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC (attempt {q.SeriesCount}, series began {q.SeriesBegan.ToUniversalTime():yyyy-MM-dd HH:mm} UTC).")).Append("</p>\n");
                if (!string.IsNullOrEmpty(q.Error)) html.Append("<p>").Append(E(q.Error)).Append("</p>\n");
            }

            Section(html, "held", $"Held deletions ({report.HeldDeletions.Count})");
            if (report.HeldDeletions.Count == 0) html.Append("<p class=\"ok\">No suspension or deletion is held.</p>\n");
            else
            {
                html.Append("<p>Approve them with <code>Approve-DbxProvisioningDeletion</code>.</p>\n");
                Table(html, new[] { "Dropbox account", "Action", "Reason", "Held since (UTC)" },
                    report.HeldDeletions.Select(h => new[] { h.TargetIdentity, h.Action == "Delete" ? "Delete" : "Suspend", h.Reason, h.Staged.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) }), "held-table");
            }

            Section(html, "escrows", $"Escrows ({report.EscrowsDue} due of {report.Escrows.Count})");
            if (report.Escrows.Count == 0) html.Append("<p class=\"ok\">No failed change waits for a retry.</p>\n");
            else Table(html, new[] { "Object", "Attempts", "Next attempt (UTC)", "Due", "Last error" },
                report.Escrows.Select(e => new[] { e.Identity, N(e.Attempts), e.NextAttempt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), e.Due ? "due" : "", e.LastError }), "escrow-table");

            Section(html, "failures", "Top failure reasons");
            if (report.FailureReasons.Count == 0) html.Append("<p class=\"ok\">No change failed in these cycles.</p>\n");
            else Table(html, new[] { "Reason", "Failures", "Affected" },
                report.FailureReasons.Select(r => new[] { r.Reason, N(r.Count), Affected(r.Affected) }), "failure-table");

            Section(html, "mappings", "Mappings in force");
            foreach (var type in report.TargetActions)
                html.Append("<p>").Append(E($"{type.Key} mapping: {type.Value}.")).Append("</p>\n");
            Table(html, new[] { "Object", "Target attribute", "Type", "Source", "Matching", "Apply", "Default" },
                report.Mappings.Select(m => new[] { m.ObjectType.ToString(), m.TargetAttribute, m.Type.ToString(), m.Source, m.MatchingPrecedence > 0 ? N(m.MatchingPrecedence) : "", m.Apply.ToString(), m.DefaultValue }), "mapping-table");
            if (report.ScopingFilters.Count == 0) html.Append("<p>No scoping filter: every assigned object is in scope.</p>\n");
            else Table(html, new[] { "Object", "Scoping filter", "Clauses" }, report.ScopingFilters.Select(f => new[] { f.ObjectType.ToString(), f.Name, f.Text }), "filter-table");

            html.Append("</body>\n</html>\n");
            return html.ToString();
        }

        /// <summary>Grouped bars (one group per cycle, one bar per series) on a shared count axis, and the duration as a line on its own axis.</summary>
        private static void Chart(StringBuilder html, IReadOnlyList<ReportCycle> cycles)
        {
            const int width = 960, height = 320, left = 56, right = 64, top = 36, bottom = 56;
            var plotWidth = width - left - right;
            var plotHeight = height - top - bottom;
            var max = Math.Max(1, cycles.Max(c => Series.Max(s => s.Value(c))));
            var maxSeconds = Math.Max(1, cycles.Max(c => c.Duration?.TotalSeconds ?? 0));
            var group = plotWidth / (double)cycles.Count;
            var bar = Math.Max(1, Math.Min(18, (group * 0.8) / Series.Length));
            string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

            html.Append($"<svg id=\"cycle-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Changes and duration of the last cycles\">\n");
            html.Append("<title>Created, updated, suspended, deleted and failed per cycle, and each cycle's duration</title>\n");
            for (var i = 0; i <= 4; i++)
            {
                var y = top + plotHeight - plotHeight * i / 4.0;
                html.Append($"<line x1=\"{left}\" y1=\"{F(y)}\" x2=\"{left + plotWidth}\" y2=\"{F(y)}\" class=\"grid\"/>")
                    .Append($"<text x=\"{left - 6}\" y=\"{F(y + 4)}\" class=\"axis\" text-anchor=\"end\">{N((int)Math.Round(max * i / 4.0))}</text>")
                    .Append($"<text x=\"{left + plotWidth + 6}\" y=\"{F(y + 4)}\" class=\"axis\">{E(Duration(TimeSpan.FromSeconds(maxSeconds * i / 4.0)))}</text>\n");
            }
            var points = new List<string>();
            for (var c = 0; c < cycles.Count; c++)
            {
                var cycle = cycles[c];
                var x0 = left + group * c + (group - bar * Series.Length) / 2;
                for (var s = 0; s < Series.Length; s++)
                {
                    var value = Series[s].Value(cycle);
                    var h = plotHeight * value / (double)max;
                    html.Append($"<rect x=\"{F(x0 + bar * s)}\" y=\"{F(top + plotHeight - h)}\" width=\"{F(Math.Max(1, bar - 1))}\" height=\"{F(h)}\" fill=\"{Series[s].Colour}\" class=\"bar {Series[s].Name.ToLowerInvariant()}\">")
                        .Append($"<title>{E($"{cycle.StartTime.ToUniversalTime():yyyy-MM-dd HH:mm} {Series[s].Name}: {value}")}</title></rect>");
                }
                var seconds = cycle.Duration?.TotalSeconds ?? 0;
                points.Add($"{F(left + group * c + group / 2)},{F(top + plotHeight - plotHeight * seconds / maxSeconds)}");
                if (cycles.Count <= 12 || c % (int)Math.Ceiling(cycles.Count / 12.0) == 0)
                    html.Append($"<text x=\"{F(left + group * c + group / 2)}\" y=\"{top + plotHeight + 16}\" class=\"axis\" text-anchor=\"middle\">{E(cycle.StartTime.ToUniversalTime().ToString("MM-dd HH:mm", CultureInfo.InvariantCulture))}</text>");
                html.Append('\n');
            }
            html.Append($"<polyline points=\"{string.Join(" ", points)}\" class=\"duration\"/>\n");
            foreach (var p in points) html.Append($"<circle cx=\"{p.Split(',')[0]}\" cy=\"{p.Split(',')[1]}\" r=\"3\" class=\"duration-point\"/>");
            html.Append('\n');
            // The legend.
            var lx = left;
            foreach (var s in Series)
            {
                html.Append($"<rect x=\"{lx}\" y=\"10\" width=\"12\" height=\"12\" fill=\"{s.Colour}\"/><text x=\"{lx + 16}\" y=\"20\" class=\"legend\">{s.Name}</text>");
                lx += 100;
            }
            html.Append($"<line x1=\"{lx}\" y1=\"16\" x2=\"{lx + 14}\" y2=\"16\" class=\"duration\"/><text x=\"{lx + 18}\" y=\"20\" class=\"legend\">Duration</text>\n");
            html.Append($"<text x=\"{left + plotWidth / 2}\" y=\"{height - 8}\" class=\"axis\" text-anchor=\"middle\">cycle start (UTC); changes on the left axis, duration on the right</text>\n");
            html.Append("</svg>\n");
        }

        private static void Section(StringBuilder html, string id, string title) =>
            html.Append($"<h2 id=\"{id}\">{E(title)}</h2>\n");

        private static void Table(StringBuilder html, string[] headers, IEnumerable<string[]> rows, string id)
        {
            html.Append($"<table id=\"{id}\">\n<thead><tr>");
            foreach (var header in headers) html.Append("<th>").Append(E(header)).Append("</th>");
            html.Append("</tr></thead>\n<tbody>\n");
            foreach (var row in rows)
            {
                html.Append("<tr>");
                foreach (var cell in row) html.Append("<td>").Append(E(cell ?? "")).Append("</td>");
                html.Append("</tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }

        private static string Affected(IReadOnlyList<string> affected) =>
            affected.Count <= 10 ? string.Join(", ", affected) : string.Join(", ", affected.Take(10)) + $" and {affected.Count - 10} more";

        private static string Duration(TimeSpan? duration)
        {
            if (duration == null) return "";
            var d = duration.Value;
            return d.TotalHours >= 1 ? $"{(int)d.TotalHours} h {d.Minutes} min" : d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes} min {d.Seconds} s" : $"{d.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
        }

        private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

        private static string E(string text) => WebUtility.HtmlEncode(text ?? "");

        private const string Css = @"body { font-family: 'Segoe UI', system-ui, sans-serif; margin: 24px; color: #1f2933; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d9e2ec; padding-bottom: 4px; }
.meta { color: #52606d; font-size: 13px; } .ok { color: #2e7d32; } .alert { color: #c62828; font-weight: 600; } .empty { color: #52606d; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; } th, td { border: 1px solid #d9e2ec; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f4f8; } tbody tr:nth-child(even) { background: #fafbfc; } code { background: #f0f4f8; padding: 1px 4px; }
svg { max-width: 100%; height: auto; } .grid { stroke: #e4e7eb; } .axis { font-size: 11px; fill: #52606d; } .legend { font-size: 12px; fill: #1f2933; }
.duration { fill: none; stroke: #334e68; stroke-width: 2; stroke-dasharray: 5 3; } .duration-point { fill: #334e68; }
";
    }
}
