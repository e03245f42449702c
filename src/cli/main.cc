// `sparkplane`: every subcommand of the binary; see cli/cli.h for the verbs and exit codes.
#include "cli/cli.h"

int main(int argc, char** argv) { return sp::cli::run_cli(argc, argv); }
