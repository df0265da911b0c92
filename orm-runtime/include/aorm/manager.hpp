// Manager<T>: the entry point Post::objects. It is the unfiltered QuerySet of the model and offers
// every builder and terminal of QuerySet, and converts to one (QuerySet<Post> qs = Post::objects).
// The implicit-evaluation members (range-for, size, [i], bool) are deleted: a Manager is shared by
// every thread and keeps no result cache -- use all() for those. Through a QuerySet reference it
// still never caches (they throw), and count()/exists() always query.
#pragma once

#include "aorm/model.hpp"
#include "aorm/queryset.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace aorm {

template <class T> class Manager : public QuerySet<T> {
  using Base = QuerySet<T>;

public:
  Manager() { this->shared_ = true; }

  // Objects from hand-written SQL: Post::objects.raw("SELECT * FROM post WHERE views > ?1", {10}).
  RawQuerySet<T> raw(std::string sql, std::vector<Value> params = {}) const {
    return RawQuerySet<T>(std::move(sql), std::move(params));
  }

  // Slicing builds a new QuerySet; indexing would evaluate, and a Manager has no [i].
  QuerySet<T> operator[](Slice sl) const { return Base::operator[](sl); }
  void operator[](std::size_t) const = delete;
  void begin() const = delete;
  void end() const = delete;
  void size() const = delete;
  explicit operator bool() const = delete;
};

template <class T> Manager<T> Model<T>::objects{};

} // namespace aorm
