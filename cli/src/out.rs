//! Standard output for a Unix tool: a reader that goes away (`| head -1`)
//! ends the program quietly instead of a panic.

use std::fmt;
use std::io::{self, Write};

/// The exit status after the reader of standard output went away: what a
/// shell reports for a program ended by `SIGPIPE` (128 + 13), as for any
/// Unix tool in a pipeline.
pub const BROKEN_PIPE_EXIT: i32 = 141;

/// Writes one line to standard output. A closed pipe ends the program
/// with [`BROKEN_PIPE_EXIT`], without a message; any other write error
/// ends it with status 2 and says why on standard error.
pub fn line(args: fmt::Arguments<'_>) {
    let mut out = io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == io::ErrorKind::BrokenPipe {
            std::process::exit(BROKEN_PIPE_EXIT);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(2);
    }
}

/// `println!` through [`line()`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::line(format_args!($($arg)*))
    };
}
pub(crate) use outln;
