//! `ct-check`: constant-time evidence for paykernel.
//!
//! Each op marks its secret inputs undefined for valgrind's memcheck, runs
//! a secret-handling operation of the kernel's public API, and marks its
//! outputs defined again; run under memcheck, any report left is a branch
//! or a memory address that depends on a secret. `run.sh` runs every op
//! under memcheck and checks the verdicts; see `README.md`.
//!
//! ```text
//! ct-check list          every op: name, expected verdict, AES or not
//! ct-check run OP...     the ops named (under valgrind for the check)
//! ct-check run-all       every op, outside valgrind: answers only
//! ```
//!
//! `run` prints, for each op, what its outputs carried and then one line
//! `ct-check-result<TAB>OP<TAB>REPORTS<TAB>STATUS`: REPORTS is how many
//! reports memcheck made while the op ran (suppressed ones not counted; `-`
//! outside valgrind), STATUS is 0 when the op gave the right answers and
//! (under valgrind) every output carried the secret, 3 when an output
//! carried no secret (the op tainted nothing that reached it), 4 on a wrong
//! answer. Many ops share one valgrind process this way (starting valgrind
//! costs far more than most ops); each op's start is marked in valgrind's
//! log (`ct-check: op NAME`). The exit status of `run` is that of its one
//! op (0, 3 or 4; 1 if memcheck reported during it), or 0 for several; 2 on
//! a usage error.

mod check;
mod ops;
mod taint;

use std::process::ExitCode;

use check::{Check, Expect, Op};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["list"] => {
            for op in ops::all() {
                let aes = if op.aes { "aes" } else { "-" };
                println!("{}\t{}\t{aes}", op.name, op.expect.word());
            }
            ExitCode::SUCCESS
        }
        ["run", names @ ..] if !names.is_empty() => {
            let mut found = Vec::with_capacity(names.len());
            for name in names {
                match ops::find(name) {
                    Some(op) => found.push(op),
                    None => {
                        eprintln!("ct-check: no op named {name} (see `ct-check list`)");
                        return ExitCode::from(2);
                    }
                }
            }
            let mut last = 0u8;
            for op in &found {
                last = run_counted(op);
            }
            ExitCode::from(if found.len() == 1 { last } else { 0 })
        }
        ["run-all"] => {
            let failed = ops::all()
                .filter(|op| op.expect != Expect::Untainted)
                .filter(|op| run(op) != 0)
                .count();
            ExitCode::from(u8::from(failed > 0))
        }
        _ => {
            eprintln!("usage: ct-check list | run OP... | run-all");
            ExitCode::from(2)
        }
    }
}

/// Runs one op, counting memcheck's reports during it, and prints its
/// result line; returns its status, or 1 if memcheck reported.
fn run_counted(op: &Op) -> u8 {
    if let Ok(line) = std::ffi::CString::new(format!("ct-check: op {}", op.name)) {
        taint::log(&line);
    }
    let before = taint::error_count();
    let status = run(op);
    let reports = match (before, taint::error_count()) {
        (Some(b), Some(a)) => Some(a.saturating_sub(b)),
        _ => None,
    };
    let shown = reports.map_or_else(|| "-".to_owned(), |n| n.to_string());
    println!("ct-check-result\t{}\t{shown}\t{status}", op.name);
    match reports {
        Some(n) if n > 0 && status == 0 => 1,
        _ => status,
    }
}

/// Runs one op and prints what it did; returns its status.
fn run(op: &Op) -> u8 {
    let mut c = Check::default();
    let result = (op.run)(&mut c);
    let valgrind = taint::under_valgrind();
    let mut status = 0u8;
    for o in &c.outputs {
        let taint = match o.tainted {
            Some(n) => format!("{n} of {} bytes carried the secret", o.len),
            None => "not under valgrind".to_owned(),
        };
        let public = if o.must_carry {
            ""
        } else {
            " (public verdict)"
        };
        println!("{}: {}: {taint}{public}", op.name, o.what);
        if valgrind && o.must_carry && o.tainted == Some(0) {
            status = 3;
        }
    }
    if valgrind && c.outputs.is_empty() {
        println!("{}: no output to check", op.name);
        status = 3;
    }
    if let Err(e) = result {
        println!("{}: WRONG ANSWER: {e}", op.name);
        status = 4;
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_op_gives_the_right_answers_outside_valgrind() {
        for op in ops::all() {
            let mut c = Check::default();
            assert_eq!((op.run)(&mut c), Ok(()), "{}", op.name);
            assert!(!c.outputs.is_empty(), "{} has no output", op.name);
        }
    }

    #[test]
    fn op_names_are_unique() {
        let mut names: Vec<&str> = ops::all().map(|op| op.name).collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n);
    }
}
