//! The little JSON this runner writes (no JSON crate is packaged in Debian's registry), printed as
//! Google Benchmark's JSON reporter prints it: two-space indentation, keys in the order given,
//! non-finite numbers as NaN / Infinity (which Python's json module, the report's reader, accepts).

use std::fmt::Write;

pub enum Value {
    Str(String),
    Int(i64),
    Num(f64),
    Bool(bool),
    Arr(Vec<Value>),
    Obj(Vec<(String, Value)>),
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(s)
    }
}
impl From<f64> for Value {
    fn from(x: f64) -> Value {
        Value::Num(x)
    }
}
impl From<usize> for Value {
    fn from(n: usize) -> Value {
        Value::Int(n as i64)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

/// An object under construction, keys in insertion order.
#[derive(Default)]
pub struct Object(Vec<(String, Value)>);

impl Object {
    pub fn new() -> Object {
        Object::default()
    }
    pub fn set(&mut self, key: &str, value: impl Into<Value>) -> &mut Object {
        self.0.push((key.to_owned(), value.into()));
        self
    }
    pub fn done(self) -> Value {
        Value::Obj(self.0)
    }
}

impl Value {
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, depth: usize) {
        match self {
            Value::Str(s) => write_str(out, s),
            Value::Int(n) => {
                let _ = write!(out, "{}", n);
            }
            Value::Num(x) => write_num(out, *x),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Arr(items) => write_seq(out, depth, '[', ']', items.iter(), |out, item, d| item.write(out, d)),
            Value::Obj(fields) => write_seq(out, depth, '{', '}', fields.iter(), |out, (key, value), d| {
                write_str(out, key);
                out.push_str(": ");
                value.write(out, d);
            }),
        }
    }
}

fn write_seq<I: ExactSizeIterator>(
    out: &mut String,
    depth: usize,
    open: char,
    close: char,
    items: I,
    write_item: impl Fn(&mut String, I::Item, usize),
) {
    out.push(open);
    if items.len() == 0 {
        out.push(close);
        return;
    }
    for (i, item) in items.enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        indent(out, depth + 1);
        write_item(out, item, depth + 1);
    }
    out.push('\n');
    indent(out, depth);
    out.push(close);
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_num(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("NaN");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        // Debug: the shortest text that reads back as the same double, always with a '.' or an
        // exponent ("65536.0", "1e-7"), both valid JSON.
        let _ = write!(out, "{:?}", x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_google_benchmark() {
        let mut o = Object::new();
        o.set("name", "a\"b").set("n", 3usize).set("x", 0.5).set("nan", f64::NAN).set("empty", Value::Arr(vec![]));
        assert_eq!(
            o.done().pretty(),
            "{\n  \"name\": \"a\\\"b\",\n  \"n\": 3,\n  \"x\": 0.5,\n  \"nan\": NaN,\n  \"empty\": []\n}\n"
        );
    }
}
