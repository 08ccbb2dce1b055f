"""wbreport: turns a wakerbench results directory (scripts/sweep's output) into one HTML page."""
