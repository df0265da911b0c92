// QuerySet<T>: a lazy, immutable query. Builders return a new QuerySet and never touch the
// database; terminals evaluate it (the sync ones block and are guarded; each has an awaitable `a`
// twin: on SQLite it runs the sync one on the worker pool; on PostgreSQL it runs it on the loop
// thread with its queries awaited on the socket, no thread hop (detail::db_call). T is a model, aorm::Row (values()) or
// aorm::Tuple (values_list()).
#pragma once

#include "aorm/async.hpp"
#include "aorm/detail/state.hpp"
#include "aorm/guard.hpp"
#include "aorm/intent.hpp"
#include "aorm/model.hpp"
#include "aorm/query.hpp"
#include "aorm/task.hpp"
#include "aorm/value.hpp"

#include <algorithm>
#include <concepts>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace aorm {

template <class T>
concept model_type = std::is_base_of_v<Model<T>, T>;

namespace detail {
template <class> inline constexpr bool always_false = false;

// The one place rows become T.
template <class T> std::vector<T> materialize(const QueryState &s) {
  std::vector<T> out;
  if constexpr (std::is_same_v<T, Row>) {
    out = fetch_rows(s);
  } else if constexpr (std::is_same_v<T, Tuple>) {
    for (auto &row : fetch_rows(s))
      out.push_back(row.values());
  } else {
    auto objs = fetch_objects(s);
    out.reserve(objs.size());
    for (auto &p : objs)
      out.push_back(std::move(*static_cast<T *>(p.get())));
  }
  return out;
}

// The next `n` results of a stream, as T.
template <class T> std::vector<T> next_batch(Stream &stream, std::size_t n) {
  std::vector<T> out;
  if constexpr (std::is_same_v<T, Row>) {
    out = stream.next_rows(n);
  } else if constexpr (std::is_same_v<T, Tuple>) {
    for (auto &row : stream.next_rows(n))
      out.push_back(row.values());
  } else {
    auto objs = stream.next_objects(n);
    out.reserve(objs.size());
    for (auto &p : objs)
      out.push_back(std::move(*static_cast<T *>(p.get())));
  }
  return out;
}
} // namespace detail

// Sync streaming (iterator(chunk)): one query for the whole iteration, its rows converted
// `chunk` at a time; never the whole result at once.
template <class T> class ChunkedRange {
  struct State {
    explicit State(detail::QueryState q) : stream(std::move(q)) {}
    detail::Stream stream;
    std::size_t chunk = 1;
    std::vector<T> buffer;
    std::size_t pos = 0;
    void fill() {
      guard_sync("QuerySet::iterator");
      buffer = detail::next_batch<T>(stream, chunk);
      pos = 0;
    }
    bool at_end() {
      if (pos == buffer.size() && !stream.done())
        fill();
      return pos == buffer.size();
    }
  };

public:
  ChunkedRange(detail::QueryState query, std::int64_t chunk)
      : state_(std::make_shared<State>(std::move(query))) {
    state_->chunk = static_cast<std::size_t>(chunk);
  }

  class iterator {
  public:
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(State *s) : s_(s) {}
    T &operator*() const { return s_->buffer[s_->pos]; }
    T *operator->() const { return &s_->buffer[s_->pos]; }
    iterator &operator++() {
      ++s_->pos;
      return *this;
    }
    void operator++(int) { ++*this; }
    bool operator==(std::default_sentinel_t) const { return !s_ || s_->at_end(); }

  private:
    State *s_ = nullptr;
  };

  iterator begin() { return iterator(state_.get()); }
  std::default_sentinel_t end() const { return {}; }

private:
  std::shared_ptr<State> state_;
};

// Async streaming (aiterator(chunk)): one query for the whole iteration; next() takes the next
// `chunk` rows of it in one worker hop when its buffer runs dry.
// `while (auto post = co_await it.next()) ...`. The iterator must outlive each next().
template <class T> class AsyncIterator {
public:
  AsyncIterator(detail::QueryState query, std::int64_t chunk)
      : stream_(std::make_shared<detail::Stream>(std::move(query))),
        chunk_(static_cast<std::size_t>(chunk)) {}

  Task<std::optional<T>> next() {
    if (pos_ == buffer_.size()) {
      if (stream_->done())
        co_return std::nullopt;
      auto stream = stream_;
      std::size_t n = chunk_;
      // The Task is a named local: g++-12 destroys a lambda temporary inside a co_await twice.
      auto fetch = sync_to_async([stream, n] { return detail::next_batch<T>(*stream, n); });
      buffer_ = co_await std::move(fetch);
      ++fetched_;
      pos_ = 0;
      if (buffer_.empty())
        co_return std::nullopt;
    }
    co_return std::move(buffer_[pos_++]);
  }
  // Worker hops (batches) taken so far.
  std::int64_t chunks_fetched() const noexcept { return fetched_; }

private:
  std::shared_ptr<detail::Stream> stream_;
  std::size_t chunk_;
  std::int64_t fetched_ = 0;
  std::vector<T> buffer_;
  std::size_t pos_ = 0;
};

template <class T> class AORM_LAZY QuerySet {
public:
  using value_type = T;

  explicit QuerySet(detail::QueryState state)
      : state_(std::make_shared<const detail::QueryState>(std::move(state))) {}
  // The unfiltered QuerySet of model T.
  QuerySet() : QuerySet(initial_state()) {}
  // A copy shares the filled result cache, but never the Manager's no-cache mark: a QuerySet
  // copied from Post::objects is an ordinary QuerySet.
  QuerySet(const QuerySet &o) : state_(o.state_), cache_(o.cache_) {}
  QuerySet(QuerySet &&o) noexcept : state_(std::move(o.state_)), cache_(std::move(o.cache_)) {}
  QuerySet &operator=(const QuerySet &o) {
    state_ = o.state_;
    cache_ = o.cache_;
    return *this;
  }
  QuerySet &operator=(QuerySet &&o) noexcept {
    state_ = std::move(o.state_);
    cache_ = std::move(o.cache_);
    return *this;
  }

  const detail::QueryState &state() const noexcept { return *state_; }
  const ModelMeta &model() const noexcept { return *state_->model; }

  // Starts with `rows` as the result cache (a related manager's prefetched objects).
  void adopt_cache(std::shared_ptr<const std::vector<T>> rows) {
    cache_ = std::const_pointer_cast<std::vector<T>>(std::move(rows));
  }

  // ---- builders: each returns a new QuerySet and runs nothing ----
  QuerySet all() const { return QuerySet(*state_); }
  template <std::convertible_to<Q>... Qs> QuerySet filter(Q q, Qs... more) const {
    return with([&](detail::QueryState &s) {
      detail::require_unsliced(s, "filter", "cannot filter a query once a slice has been taken");
      s.where.push_back(std::move(q));
      (s.where.push_back(Q(std::move(more))), ...);
    });
  }
  QuerySet filter(std::string lookup, Expr value) const {
    return filter(Q(std::move(lookup), std::move(value)));
  }
  QuerySet exclude(Q q) const {
    return with([&](detail::QueryState &s) {
      detail::require_unsliced(s, "exclude", "cannot filter a query once a slice has been taken");
      s.where.push_back(~std::move(q));
    });
  }
  QuerySet annotate(std::vector<Named> named) const {
    return with([&](detail::QueryState &s) {
      for (auto &n : named)
        s.annotations.push_back(std::move(n));
    });
  }
  // Field names ("-views", "?") or expressions (F("views").desc(), (F("a") + F("b")).asc()).
  template <std::convertible_to<OrderBy>... S> QuerySet order_by(S... terms) const {
    return with([&](detail::QueryState &s) {
      detail::require_unsliced(s, "order_by", "cannot reorder a query once a slice has been taken");
      s.order = {OrderBy(terms)...}; // keeps reverse(), as Django's order_by keeps it
    });
  }
  // SELECT ... FOR UPDATE on PostgreSQL: the rows read stay locked until the transaction ends, so
  // a read-modify-write inside atomic()/aatomic() cannot interleave with another's. Only the
  // model's own rows are locked (select_related targets are not). Outside a transaction it is
  // an Error there, as in Django; on SQLite it has no effect (a write transaction already holds
  // the database's one write lock).
  QuerySet select_for_update() const {
    return with([](detail::QueryState &s) { s.for_update = true; });
  }
  QuerySet distinct() const {
    return with([](detail::QueryState &s) {
      detail::require_unsliced(s, "distinct",
                               "cannot create distinct fields once a slice has been taken");
      s.distinct = true;
    });
  }
  QuerySet reverse() const {
    return with([](detail::QueryState &s) {
      detail::require_unsliced(s, "reverse", "cannot reverse a query once a slice has been taken");
      s.reversed = !s.reversed;
    });
  }
  QuerySet none() const {
    return with([](detail::QueryState &s) { s.empty = true; });
  }
  template <std::convertible_to<std::string>... S> QuerySet select_related(S... names) const {
    return with([&](detail::QueryState &s) { (s.related.push_back(std::string(names)), ...); });
  }
  template <std::convertible_to<std::string>... S> QuerySet prefetch_related(S... names) const {
    return with([&](detail::QueryState &s) { (s.prefetch.push_back(std::string(names)), ...); });
  }
  // Rows with the named columns (every field when none are named), plus annotations.
  template <std::convertible_to<std::string>... S> QuerySet<Row> values(S... fields) const {
    return projected<Row>(detail::Mode::Rows, {std::string(fields)...});
  }
  template <std::convertible_to<std::string>... S> QuerySet<Tuple> values_list(S... fields) const {
    return projected<Tuple>(detail::Mode::Tuples, {std::string(fields)...});
  }
  // LIMIT/OFFSET; slicing a slice narrows it.
  QuerySet operator[](Slice sl) const;

  // ---- terminals (blocking) and their awaitable twins ----
  AORM_BLOCKING("aget") T get(Q q = {}) const {
    guard_sync("QuerySet::get");
    QuerySet filtered = q.empty() ? all() : filter(std::move(q));
    auto rows = detail::materialize<T>(detail::get_state(filtered.state()));
    detail::check_get_count(filtered.state(), rows.size(), "get");
    return std::move(rows.front());
  }
  AORM_ASYNC_TWIN("get") Task<T> aget(Q q = {}) const {
    return detail::db_call([self = *this, q] { return self.get(q); });
  }

  AORM_BLOCKING("acount") std::int64_t count() const {
    guard_sync("QuerySet::count");
    return cached() ? static_cast<std::int64_t>(cache_->size()) : detail::count(*state_);
  }
  AORM_ASYNC_TWIN("count") Task<std::int64_t> acount() const {
    return detail::db_call([self = *this] { return self.count(); });
  }

  // Django: an ordered QuerySet whose result cache is filled answers from it.
  AORM_BLOCKING("afirst") std::optional<T> first() const {
    if (cached() && !state_->order.empty())
      return cache_->empty() ? std::nullopt : std::optional<T>(cache_->front());
    return one("QuerySet::first", false);
  }
  AORM_ASYNC_TWIN("first") Task<std::optional<T>> afirst() const {
    return detail::db_call([self = *this] { return self.first(); });
  }
  AORM_BLOCKING("alast") std::optional<T> last() const { return one("QuerySet::last", true); }
  AORM_ASYNC_TWIN("last") Task<std::optional<T>> alast() const {
    return detail::db_call([self = *this] { return self.last(); });
  }

  AORM_BLOCKING("aexists") bool exists() const {
    guard_sync("QuerySet::exists");
    return cached() ? !cache_->empty() : detail::exists(*state_);
  }
  AORM_ASYNC_TWIN("exists") Task<bool> aexists() const {
    return detail::db_call([self = *this] { return self.exists(); });
  }

  // The row with the greatest (latest) or smallest (earliest) value of the fields, compared in
  // order; a field may carry "-" to flip its direction. DoesNotExist when empty.
  template <std::convertible_to<std::string>... S>
  AORM_BLOCKING("alatest") T latest(std::string field, S... more) const {
    return edge("QuerySet::latest", {std::move(field), std::string(more)...}, false);
  }
  template <std::convertible_to<std::string>... S>
  AORM_ASYNC_TWIN("latest") Task<T> alatest(std::string field, S... more) const {
    std::vector<std::string> fields{std::move(field), std::string(more)...};
    return sync_to_async(
        [self = *this, fields] { return self.edge("QuerySet::latest", fields, false); });
  }
  template <std::convertible_to<std::string>... S>
  AORM_BLOCKING("aearliest") T earliest(std::string field, S... more) const {
    return edge("QuerySet::earliest", {std::move(field), std::string(more)...}, true);
  }
  template <std::convertible_to<std::string>... S>
  AORM_ASYNC_TWIN("earliest") Task<T> aearliest(std::string field, S... more) const {
    std::vector<std::string> fields{std::move(field), std::string(more)...};
    return sync_to_async(
        [self = *this, fields] { return self.edge("QuerySet::earliest", fields, true); });
  }

  // Whether obj (a saved instance) is in this QuerySet.
  AORM_BLOCKING("acontains") bool contains(const T &obj) const requires model_type<T> {
    guard_sync("QuerySet::contains");
    if (cached()) { // Django answers from a filled result cache
      if (obj.id == 0)
        return detail::contains_object(*state_, &obj); // throws: an unsaved object
      return std::any_of(cache_->begin(), cache_->end(), [&](const T &o) { return o.id == obj.id; });
    }
    return detail::contains_object(*state_, &obj);
  }
  AORM_ASYNC_TWIN("contains") Task<bool> acontains(T obj) const requires model_type<T> {
    return sync_to_async([self = *this, obj] { return self.contains(obj); });
  }

  // SQLite's EXPLAIN QUERY PLAN for this query, one step per line.
  AORM_BLOCKING("aexplain") std::string explain() const {
    guard_sync("QuerySet::explain");
    return detail::explain(*state_);
  }
  AORM_ASYNC_TWIN("explain") Task<std::string> aexplain() const {
    return sync_to_async([self = *this] { return self.explain(); });
  }

  // INSERT obj; the returned copy has its id.
  AORM_BLOCKING("acreate") T create(T obj) const requires model_type<T> {
    guard_sync("QuerySet::create");
    detail::insert_objects(model(), {&obj});
    return obj;
  }
  AORM_ASYNC_TWIN("create") Task<T> acreate(T obj) const requires model_type<T> {
    return detail::db_call([self = *this, obj] { return self.create(obj); });
  }

  // get(q), or create `defaults` with q's exact lookups applied; .second is true when created.
  AORM_BLOCKING("aget_or_create")
  std::pair<T, bool> get_or_create(Q q, T defaults = {}) const requires model_type<T> {
    guard_sync("QuerySet::get_or_create");
    auto [p, created] = detail::get_or_create(*state_, q, &defaults);
    return {std::move(*static_cast<T *>(p.get())), created};
  }
  AORM_ASYNC_TWIN("get_or_create")
  Task<std::pair<T, bool>> aget_or_create(Q q, T defaults = {}) const requires model_type<T> {
    return sync_to_async([self = *this, q, defaults] { return self.get_or_create(q, defaults); });
  }

  // INSERT every object in one transaction, `batch_size` per statement; the returned copies have
  // their ids (not with ignore_conflicts or update_conflicts, as Django on SQLite).
  AORM_BLOCKING("abulk_create")
  std::vector<T> bulk_create(std::vector<T> objs,
                             BulkCreateOptions options = {}) const requires model_type<T> {
    guard_sync("QuerySet::bulk_create");
    std::vector<void *> ptrs;
    for (auto &o : objs)
      ptrs.push_back(&o);
    detail::bulk_insert(model(), ptrs, options);
    return objs;
  }
  AORM_ASYNC_TWIN("bulk_create")
  Task<std::vector<T>> abulk_create(std::vector<T> objs,
                                    BulkCreateOptions options = {}) const requires model_type<T> {
    return sync_to_async(
        [self = *this, objs, options] { return self.bulk_create(objs, options); });
  }

  // UPDATE the matching rows: update({{"views", F("views") + 1}}); returns the rows changed.
  AORM_BLOCKING("aupdate") std::int64_t update(Assignments changes) const {
    guard_sync("QuerySet::update");
    return detail::update(*state_, changes);
  }
  AORM_ASYNC_TWIN("update") Task<std::int64_t> aupdate(Assignments changes) const {
    return detail::db_call([self = *this, changes] { return self.update(changes); });
  }

  // get(q) and apply defaults, or create from q's exact lookups plus create_defaults (plus
  // defaults when create_defaults is not given), as Django 5.
  AORM_BLOCKING("aupdate_or_create")
  std::pair<T, bool> update_or_create(Q q, Assignments defaults = {},
                                      std::optional<Assignments> create_defaults = std::nullopt)
      const requires model_type<T> {
    guard_sync("QuerySet::update_or_create");
    auto [p, created] = detail::update_or_create(*state_, q, defaults, create_defaults);
    return {std::move(*static_cast<T *>(p.get())), created};
  }
  AORM_ASYNC_TWIN("update_or_create")
  Task<std::pair<T, bool>> aupdate_or_create(
      Q q, Assignments defaults = {},
      std::optional<Assignments> create_defaults = std::nullopt) const requires model_type<T> {
    return sync_to_async([self = *this, q, defaults, create_defaults] {
      return self.update_or_create(q, defaults, create_defaults);
    });
  }

  // UPDATE the named fields of every object (by id) in one transaction; returns rows changed.
  AORM_BLOCKING("abulk_update")
  std::int64_t bulk_update(const std::vector<T> &objs,
                           std::vector<std::string> fields) const requires model_type<T> {
    guard_sync("QuerySet::bulk_update");
    std::vector<const void *> ptrs;
    for (auto &o : objs)
      ptrs.push_back(&o);
    return detail::bulk_update(model(), ptrs, fields);
  }
  AORM_ASYNC_TWIN("bulk_update")
  Task<std::int64_t> abulk_update(std::vector<T> objs,
                                  std::vector<std::string> fields) const requires model_type<T> {
    return sync_to_async([self = *this, objs, fields] { return self.bulk_update(objs, fields); });
  }

  // DELETE the matching rows and what their on_delete rules take along (delete is a C++ keyword);
  // returns the total and the rows per model.
  AORM_BLOCKING("adelete") DeleteResult delete_() const {
    guard_sync("QuerySet::delete_");
    return detail::delete_rows(*state_);
  }
  AORM_ASYNC_TWIN("delete_") Task<DeleteResult> adelete() const {
    return detail::db_call([self = *this] { return self.delete_(); });
  }

  // key -> object for the given keys (every row when none are given); the key is the id, or the
  // integer field `field_name`, whose values must be unique among the rows.
  AORM_BLOCKING("ain_bulk")
  std::map<std::int64_t, T> in_bulk(std::optional<std::vector<std::int64_t>> ids = std::nullopt,
                                    std::string field_name = "pk") const requires model_type<T> {
    guard_sync("QuerySet::in_bulk");
    std::map<std::int64_t, T> out;
    for (auto &[id, p] : detail::in_bulk(*state_, ids, field_name))
      out.emplace(id, std::move(*static_cast<T *>(p.get())));
    return out;
  }
  AORM_ASYNC_TWIN("in_bulk")
  Task<std::map<std::int64_t, T>> ain_bulk(
      std::optional<std::vector<std::int64_t>> ids = std::nullopt,
      std::string field_name = "pk") const requires model_type<T> {
    return sync_to_async(
        [self = *this, ids, field_name] { return self.in_bulk(ids, field_name); });
  }

  // aggregate(Avg("rating"), Count("id")) -> {"rating__avg": ..., "id__count": ...};
  // aggregate({{"total", Sum("views")}}) names the keys.
  AORM_BLOCKING("aaggregate")
  std::map<std::string, Value> aggregate(std::vector<Named> named) const {
    guard_sync("QuerySet::aggregate");
    return detail::aggregate(*state_, named);
  }
  template <std::convertible_to<Expr>... E>
  AORM_BLOCKING("aaggregate")
  std::map<std::string, Value> aggregate(Expr first, E... more) const {
    return aggregate(named_of(std::move(first), Expr(std::move(more))...));
  }
  AORM_ASYNC_TWIN("aggregate")
  Task<std::map<std::string, Value>> aaggregate(std::vector<Named> named) const {
    return sync_to_async([self = *this, named] { return self.aggregate(named); });
  }
  template <std::convertible_to<Expr>... E>
  AORM_ASYNC_TWIN("aggregate")
  Task<std::map<std::string, Value>> aaggregate(Expr first, E... more) const {
    return aaggregate(named_of(std::move(first), Expr(std::move(more))...));
  }

  // Iterate in chunks of `chunk` rows, one query per chunk.
  AORM_BLOCKING("aiterator") ChunkedRange<T> iterator(std::int64_t chunk = 100) const {
    return ChunkedRange<T>(*state_, checked_chunk(chunk));
  }
  AORM_ASYNC_TWIN("iterator") AsyncIterator<T> aiterator(std::int64_t chunk = 100) const {
    return AsyncIterator<T>(*state_, checked_chunk(chunk));
  }

  // Every row, materialized.
  AORM_BLOCKING("alist") std::vector<T> list() const {
    guard_sync("QuerySet::list");
    return detail::materialize<T>(*state_);
  }
  AORM_ASYNC_TWIN("list") Task<std::vector<T>> alist() const {
    return detail::db_call([self = *this] { return self.list(); });
  }

  // ---- implicit evaluation, as in Django: fills this QuerySet's result cache ----
  AORM_BLOCKING("alist") typename std::vector<T>::const_iterator begin() const {
    return results().begin();
  }
  AORM_BLOCKING("alist") typename std::vector<T>::const_iterator end() const {
    return results().end();
  }
  AORM_BLOCKING("acount") std::size_t size() const { return static_cast<std::size_t>(count()); }
  // qs[i]: from the result cache when it is filled, else one row (LIMIT 1 OFFSET i), as Django.
  AORM_BLOCKING("alist") T operator[](std::size_t i) const {
    if (cached()) {
      if (i >= cache_->size())
        throw std::out_of_range(model().name + " QuerySet index " + std::to_string(i) +
                                " out of range (" + std::to_string(cache_->size()) + " rows)");
      return (*cache_)[i];
    }
    guard_sync("QuerySet index");
    auto rows = detail::materialize<T>(
        detail::index_state(*state_, static_cast<std::int64_t>(i)));
    if (rows.empty())
      throw std::out_of_range(model().name + " QuerySet index " + std::to_string(i) +
                              " out of range");
    return std::move(rows.front());
  }
  AORM_BLOCKING("aexists") explicit operator bool() const { return exists(); }

  // A QuerySet is lazy: there is nothing to await.
  template <class U = T> auto operator co_await() const {
    static_assert(detail::always_false<U>,
                  "a QuerySet is lazy and cannot be awaited; await a terminal instead: "
                  "co_await qs.alist(), co_await qs.afirst() or co_await qs.acount()");
    return std::suspend_never{};
  }

private:
  template <class> friend class QuerySet;

  static detail::QueryState initial_state() {
    detail::QueryState s;
    s.model = &meta_of<T>();
    return s;
  }
  template <class Edit> QuerySet with(Edit edit) const {
    detail::QueryState s = *state_;
    edit(s);
    return QuerySet(std::move(s));
  }
  template <class U>
  QuerySet<U> projected(detail::Mode mode, std::vector<std::string> fields) const {
    detail::QueryState s = *state_;
    s.mode = mode;
    s.fields = std::move(fields);
    return QuerySet<U>(std::move(s));
  }
  template <class... E> static std::vector<Named> named_of(E... es) {
    return {Named{es.default_alias(), es}...};
  }
  static std::int64_t checked_chunk(std::int64_t chunk) {
    if (chunk <= 0)
      throw Error("iterator chunk size must be positive, got " + std::to_string(chunk));
    return chunk;
  }
  bool cached() const noexcept { return cache_ != nullptr; }
  const std::vector<T> &results() const {
    if (shared_)
      throw Error(model().name +
                  " manager: objects is shared by every thread and keeps no result cache; "
                  "evaluate objects.all() instead");
    if (!cache_) {
      guard_sync("QuerySet evaluation");
      cache_ = std::make_shared<std::vector<T>>(detail::materialize<T>(*state_));
    }
    return *cache_;
  }
  std::optional<T> one(const char *what, bool last) const {
    guard_sync(what);
    auto rows = detail::materialize<T>(detail::first_state(*state_, last));
    if (rows.empty())
      return std::nullopt;
    return std::move(rows.front());
  }
  T edge(const char *what, const std::vector<std::string> &fields, bool earliest) const {
    guard_sync(what);
    detail::QueryState ordered = detail::latest_state(*state_, fields, earliest);
    auto rows = detail::materialize<T>(detail::index_state(ordered, 0)); // LIMIT 1, as Django
    detail::check_get_count(*state_, rows.size(), earliest ? "earliest" : "latest");
    return std::move(rows.front());
  }

  std::shared_ptr<const detail::QueryState> state_;
  mutable std::shared_ptr<std::vector<T>> cache_;

protected:
  // Set only by Manager: the shared Post::objects never caches (copies do not inherit this).
  bool shared_ = false;
};

// Manager::raw(sql, params): model objects from hand-written SQL. Lazy like a QuerySet; the
// columns are matched to fields by column name (the primary key is required), others become
// annotations. Parameters are SQLite's ?N placeholders, bound, never spliced into the text.
template <class T> class AORM_LAZY RawQuerySet {
public:
  using value_type = T;
  RawQuerySet(std::string sql, std::vector<Value> params)
      : sql_(std::move(sql)), params_(std::move(params)) {}
  const std::string &sql() const noexcept { return sql_; }

  AORM_BLOCKING("alist") std::vector<T> list() const {
    guard_sync("RawQuerySet::list");
    return fetch();
  }
  AORM_ASYNC_TWIN("list") Task<std::vector<T>> alist() const {
    return detail::db_call([self = *this] { return self.fetch(); });
  }
  // Range-for evaluates once and caches, whichever of begin()/end() comes first.
  AORM_BLOCKING("alist") typename std::vector<T>::const_iterator begin() const {
    return results().begin();
  }
  AORM_BLOCKING("alist") typename std::vector<T>::const_iterator end() const {
    return results().end();
  }
  template <class U = T> auto operator co_await() const {
    static_assert(detail::always_false<U>,
                  "a RawQuerySet is lazy and cannot be awaited; await co_await raw.alist()");
    return std::suspend_never{};
  }

private:
  const std::vector<T> &results() const {
    if (!cache_) {
      guard_sync("RawQuerySet evaluation");
      cache_ = std::make_shared<std::vector<T>>(fetch());
    }
    return *cache_;
  }
  std::vector<T> fetch() const {
    std::vector<T> out;
    for (auto &p : detail::fetch_raw(meta_of<T>(), sql_, params_))
      out.push_back(std::move(*static_cast<T *>(p.get())));
    return out;
  }
  std::string sql_;
  std::vector<Value> params_;
  mutable std::shared_ptr<std::vector<T>> cache_;
};

template <class T> QuerySet<T> QuerySet<T>::operator[](Slice sl) const {
  return with([&](detail::QueryState &s) { detail::apply_slice(s, sl); });
}

// Loads the foreign keys `names` of every object with one IN query per name.
template <model_type T, std::convertible_to<std::string>... S>
AORM_BLOCKING("aprefetch_related_objects")
void prefetch_related_objects(std::vector<T> &objs, S... names) {
  guard_sync("prefetch_related_objects");
  std::vector<void *> ptrs;
  for (auto &o : objs)
    ptrs.push_back(&o);
  detail::prefetch_objects(meta_of<T>(), ptrs, {std::string(names)...});
}
template <model_type T, std::convertible_to<std::string>... S>
AORM_ASYNC_TWIN("prefetch_related_objects")
Task<void> aprefetch_related_objects(std::vector<T> &objs, S... names) {
  std::vector<T> *target = &objs;
  std::vector<std::string> list{std::string(names)...};
  return sync_to_async([target, list] {
    std::vector<void *> ptrs;
    for (auto &o : *target)
      ptrs.push_back(&o);
    detail::prefetch_objects(meta_of<T>(), ptrs, list);
  });
}

} // namespace aorm
