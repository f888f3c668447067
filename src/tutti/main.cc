// Entry point: everything happens in the CLI.
#include "tutti/cli/cli.h"

int main(int argc, char** argv) { return tutti::cli::Run(argc, argv); }
