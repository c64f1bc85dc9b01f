#include "toolkit/pipeline/parallel_runs.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <future>
#include <thread>
#include <vector>

namespace trajtool {

void for_each_on_cores(std::size_t count, const std::function<void(std::size_t)>& job) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < count;) job(i);
  };
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::future<void>> workers;
  for (std::size_t t = 1; t < std::min(count, cores); ++t) {
    workers.push_back(std::async(std::launch::async, worker));
  }
  std::exception_ptr failure;
  try {
    worker();
  } catch (...) {
    failure = std::current_exception();
    next = count;
  }
  for (auto& w : workers) {
    try {
      w.get();
    } catch (...) {
      if (!failure) failure = std::current_exception();
      next = count;
    }
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace trajtool
