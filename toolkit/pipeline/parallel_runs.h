#pragma once
// Runs that are computed side by side: one worker per core (the calling thread is one), each
// taking the next index until none is left.
#include <cstddef>
#include <functional>

namespace trajtool {

// Calls job(i) once for every i in [0, count), on up to one thread per core. The first exception
// any job throws stops the jobs not yet started and is rethrown here once every thread is done.
void for_each_on_cores(std::size_t count, const std::function<void(std::size_t)>& job);

}  // namespace trajtool
