"""`calc pricing` and `calc limits`: Lambda cost and limits from the shell (DESIGN §3)."""

import json

from django.core.management.base import BaseCommand, CommandError

from cards.calculators.facts import (
    FactsError,
    cents,
    format_amount,
    format_number,
    format_usd,
    load_facts,
    rounded,
)
from cards.calculators.limits import check_limits
from cards.calculators.pricing import ARCHITECTURES, COMPUTE_TYPES, EVENT_POLLERS, monthly_cost

# The optional charges of `calc pricing`, each off unless given: name -> (metavar, help).
PRICING_OPTIONS = {
    "async_event_kb": ("KB", "size of each asynchronous event; over 256 KB bills extra requests"),
    "provisioned_concurrency": ("N", "provisioned concurrency (x86_64 prices)"),
    "provisioned_hours": ("H", "hours it is configured this month (billed in 5-minute steps)"),
    "provisioned_requests": ("N", "how many of the requests it serves"),
    "provisioned_duration_ms": ("D", "their average duration in ms (default: --duration-ms)"),
    "snapstart_versions": ("N", "SnapStart versions kept active (Python, .NET; x86_64)"),
    "snapstart_hours": ("H", "hours each version is active (at least 3 are billed)"),
    "snapstart_restores": ("N", "restores from the snapshot"),
    "streamed_requests": ("N", "responses streamed (x86_64 prices)"),
    "streamed_mb": ("MB", "size of each streamed response; beyond 6 MB is billed"),
    "tenant_environments": ("N", "tenant-isolated execution environments created (x86_64)"),
    "durable_operations": ("N", "durable operations (durable functions)"),
    "durable_written_gb": ("GB", "data written by durable operations"),
    "durable_retained_gb_months": ("GB", "durable data retained, in GB-months"),
    "event_poller_hours": ("H", "provisioned event poller unit hours (EPU-hours)"),
    "instance_hours": ("H", "EC2 instance-hours (--compute managed-instances)"),
    "instance_hourly_usd": ("USD", "price paid per instance-hour (default: on-demand)"),
    "instance_on_demand_hourly_usd": ("USD", "EC2 on-demand price per instance-hour"),
}

LIMIT_OPTIONS = {
    "memory_mb": ("M", "memory in MB"),
    "timeout_s": ("T", "timeout in seconds"),
    "env_bytes": ("B", "size of all environment variables in bytes"),
    "zip_mb": ("Z", "zipped deployment package in MB"),
    "unzipped_mb": ("U", "unzipped package with all layers in MB"),
    "layers": ("L", "number of layers"),
    "tmp_mb": ("E", "/tmp (ephemeral) storage in MB"),
    "sync_payload_kb": ("P", "synchronous request or response payload in KB"),
}


class Command(BaseCommand):
    help = "Lambda monthly cost (calc pricing) or a check against Lambda's limits (calc limits)."

    def add_arguments(self, parser):
        calculators = parser.add_subparsers(dest="calculator", required=True, metavar="CALCULATOR")
        # Numbers are taken as text and judged by the calculators, so a bad one gets their
        # one-line reason instead of argparse's usage dump.
        pricing = calculators.add_parser("pricing", help="monthly on-demand cost of one function")
        pricing.add_argument("--requests", required=True, metavar="N", help="requests a month")
        pricing.add_argument(
            "--duration-ms", required=True, metavar="D", help="average duration in ms"
        )
        pricing.add_argument("--memory-mb", required=True, metavar="M", help="memory in MB")
        pricing.add_argument(
            "--arch", default="x86_64", metavar="|".join(ARCHITECTURES), help="default x86_64"
        )
        pricing.add_argument(
            "--ephemeral-mb", default="512", metavar="E", help="/tmp storage in MB (default 512)"
        )
        pricing.add_argument(
            "--no-free-tier",
            action="store_true",
            help="other functions in the account already use the free tier",
        )
        pricing.add_argument(
            "--compute",
            default="on-demand",
            metavar="|".join(COMPUTE_TYPES),
            help="how the function runs (default on-demand)",
        )
        for name, (metavar, meaning) in PRICING_OPTIONS.items():
            flag = "--" + name.replace("_", "-")
            pricing.add_argument(flag, dest=name, metavar=metavar, help=meaning)
        pricing.add_argument(
            "--no-streaming-free-tier",
            action="store_true",
            help="the 100 GB of free response streaming is already used",
        )
        pricing.add_argument(
            "--event-poller",
            default="kafka",
            metavar="|".join(EVENT_POLLERS),
            help="the event source of --event-poller-hours (default kafka)",
        )
        pricing.add_argument("--json", action="store_true", help="print the result as JSON")

        limits = calculators.add_parser("limits", help="check settings against Lambda's limits")
        for name, (metavar, meaning) in LIMIT_OPTIONS.items():
            flag = "--" + name.replace("_", "-")
            limits.add_argument(flag, dest=name, metavar=metavar, help=meaning)
        limits.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        try:
            if options["calculator"] == "pricing":
                self.pricing(options)
            else:
                self.limits(options)
        except (ValueError, FactsError) as error:
            raise CommandError(str(error)) from None

    def pricing(self, options):
        facts = load_facts()
        given = {name: options[name] for name in PRICING_OPTIONS if options[name] is not None}
        result = monthly_cost(
            requests=options["requests"],
            duration_ms=options["duration_ms"],
            memory_mb=options["memory_mb"],
            arch=options["arch"],
            ephemeral_mb=options["ephemeral_mb"],
            free_tier=not options["no_free_tier"],
            compute=options["compute"],
            streaming_free_tier=False if options["no_streaming_free_tier"] else None,
            event_poller=options["event_poller"],
            **given,
            facts=facts,
        )
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), indent=2))
            return
        rows = [("Item", "Quantity", "Unit price", "Amount")]
        for line in result.lines:
            rows.append(
                (
                    line.label,
                    f"{format_number(rounded(line.quantity))} {line.unit}",
                    format_usd(line.unit_price) if line.unit_price else "free",
                    format_usd(cents(line.amount)),
                )
            )
        rows.append(("Total a month", "", "", format_usd(result.total_usd)))
        self.stdout.write(_table(rows, right=(1, 2, 3), rule_before_last=True))
        cited = {
            (facts.get(key).source, facts.get(key).checked)
            for key in result.fact_keys
            if key.startswith(("price.", "free."))
        }
        for source, checked in sorted(cited):
            self.stdout.write(f"Prices from {source}, checked {checked.isoformat()}")

    def limits(self, options):
        given = {name: options[name] for name in LIMIT_OPTIONS if options[name] is not None}
        if not given:
            raise CommandError(
                "give at least one setting to check, e.g. --memory-mb 2048 --timeout-s 300"
            )
        result = check_limits(**given)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), indent=2))
            return
        findings = [("over", f) for f in result.violations] + [("near", f) for f in result.warnings]
        if findings:
            rows = [("Limit", "Value", "Limit value", "Adjustable", "Status")]
            for kind, finding in findings:
                rows.append(
                    (
                        finding.name,
                        format_amount(finding.value, finding.unit),
                        _bound(finding),
                        "yes" if finding.adjustable else "no",
                        _status(kind, finding),
                    )
                )
            self.stdout.write(_table(rows, right=(1, 2)))
            for _kind, finding in findings:
                self.stdout.write(f"- {finding.message}: {finding.hint} ({finding.source})")
        if result.ok:
            self.stdout.write(f"All within Lambda's limits (checked {', '.join(result.checked)}).")


def _bound(finding) -> str:
    if finding.maximum is not None:
        return f"max {format_amount(finding.maximum, finding.unit)}"
    if finding.minimum is not None:
        return f"min {format_amount(finding.minimum, finding.unit)}"
    return "whole number"


def _status(status: str, finding) -> str:
    if status == "near":
        return "near"
    if finding.maximum is not None:
        return "OVER"
    return "UNDER" if finding.minimum is not None else "NOT WHOLE"


def _table(rows: list[tuple], *, right: tuple = (), rule_before_last: bool = False) -> str:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]

    def line(row):
        cells = [
            cell.rjust(width) if column in right else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    lines = [line(rows[0]), rule]
    body = [line(row) for row in rows[1:]]
    if rule_before_last:
        body.insert(len(body) - 1, rule)
    return "\n".join(lines + body)
