#pragma once

// Private to the view models: a read (or a short write) of the inspection store on Qt's global
// thread pool, through a store opened on that worker thread for the call (a Qt SQL connection
// belongs to the thread that opened it; SQLite's WAL lets it read while the persistence writer
// writes). The UI thread never waits on the database.

#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include <waferscope/core/persistence/inspection_store.h>

namespace waferscope::viewmodels {

/// The result of a worker-thread call: its value, or the error text when it threw.
template <typename T>
struct StoreRead {
    std::optional<T> value;
    std::string error;
};

/// Runs `call(store)` on a worker thread with a store opened on `database` for it.
template <typename T, typename F>
[[nodiscard]] QFuture<StoreRead<T>> readStore(std::filesystem::path database, F call)
{
    return QtConcurrent::run([database = std::move(database), call = std::move(call)]() -> StoreRead<T> {
        try {
            core::InspectionStore store(database);
            return {call(store), {}};
        } catch (const std::exception &e) {
            return {std::nullopt, e.what()};
        }
    });
}

} // namespace waferscope::viewmodels
