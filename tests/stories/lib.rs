//! Nothing to link: the stories are the `stories` test binary (`main.rs`).
