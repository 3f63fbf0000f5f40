"""analisis: raw exports -> clean tables -> statistics -> figures -> bilingual report.

Run the bundled study with `snakemake --cores all`; your own with
`snakemake --cores all --configfile your.yaml` (see README.md).
"""

import os
import sys
from pathlib import Path

from snakemake.utils import min_version, validate

min_version("9.0")

# The rules run the package from this checkout, whether or not it is installed
# (script jobs inherit the environment).
SRC = Path(workflow.basedir) / "src"
sys.path.insert(0, str(SRC))
os.environ.update(
    PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
)

from analisis.adapter import exit_on_error
from analisis.preflight import brings_own_study, preflight
from analisis.runlock import acquire_run_lock, remove_partial_outputs


# The bundled study, unless a --configfile brings its own cohorts: a study's identity
# (title, topic, the reconstructed flag) and its analysis choices belong to that study
# alone (see docs/architecture.md, "Whose config").
if not brings_own_study(config):

    configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


# One clear line for a wrong key, a missing file or a path outside the project, before
# Snakemake's own (much longer) messages; then the schema's defaults fill the rest.
exit_on_error(
    preflight,
    config,
    "workflow/schemas/config.schema.yaml",
    os.getcwd(),
    workflow.configfiles,
    workflow.overwrite_configfiles,
)
validate(config, "workflow/schemas/config.schema.yaml")

# One run at a time in this folder, and a clean resume after a hard kill (the default
# profile turns Snakemake's own lock off; see analisis.runlock). Jobs Snakemake starts
# in other processes (a cluster's) run under the main process's lock.
if workflow.is_main_process and not workflow.dryrun:
    RUN_LOCK = exit_on_error(acquire_run_lock, os.getcwd())
    remove_partial_outputs("data/processed", "data/interim", "reports")


include: "workflow/rules/common.smk"
include: "workflow/rules/shards.smk"
include: "workflow/rules/analyse.smk"
include: "workflow/rules/review.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/report.smk"


rule all:
    input:
        rules.manifest.output,
    default_target: True
