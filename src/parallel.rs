//! Independent work split across the cores: checking and rendering tens of thousands of
//! templates is dominated by parsing them, and each notification can be handled on its own.
//! Results come back in the order of the input, so output stays in file order.

/// Runs `work` on consecutive chunks of `items`, one thread per chunk, and joins the results in
/// order. Small inputs stay on the calling thread. A panic in a worker is raised again here.
pub fn map_chunks<T: Sync, R: Send>(items: &[T], work: impl Fn(&[T]) -> Vec<R> + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = items.len().div_ceil(workers).max(64);
    if items.len() <= chunk {
        return work(items);
    }
    std::thread::scope(|scope| {
        let work = &work;
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || work(part)))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_input() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = map_chunks(&items, |part| part.iter().map(|n| n * 2).collect());
        assert_eq!(doubled, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        assert_eq!(map_chunks(&items[..3], |part| part.to_vec()), [0, 1, 2]);
    }
}
