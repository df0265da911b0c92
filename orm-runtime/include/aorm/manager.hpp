// Manager<T>: the entry point Post::objects. It is the unfiltered QuerySet of the model and offers
// every builder and terminal of QuerySet; the implicit-evaluation members (range-for, size, [i],
// bool) are left out because a Manager is shared and must not cache results -- use all() for those.
#pragma once

#include "aorm/model.hpp"
#include "aorm/queryset.hpp"

namespace aorm {

template <class T> class Manager : private QuerySet<T> {
  using Base = QuerySet<T>;

public:
  Manager() = default;

  using Base::all;
  using Base::annotate;
  using Base::distinct;
  using Base::exclude;
  using Base::filter;
  using Base::model;
  using Base::none;
  using Base::order_by;
  using Base::prefetch_related;
  using Base::reverse;
  using Base::select_related;
  using Base::state;
  using Base::values;
  using Base::values_list;
  using Base::operator[];

  using Base::aaggregate;
  using Base::abulk_create;
  using Base::abulk_update;
  using Base::acontains;
  using Base::acount;
  using Base::acreate;
  using Base::adelete;
  using Base::aearliest;
  using Base::aexists;
  using Base::aexplain;
  using Base::afirst;
  using Base::aget;
  using Base::aget_or_create;
  using Base::aggregate;
  using Base::ain_bulk;
  using Base::aiterator;
  using Base::alast;
  using Base::alatest;
  using Base::alist;
  using Base::aupdate;
  using Base::aupdate_or_create;
  using Base::bulk_create;
  using Base::bulk_update;
  using Base::contains;
  using Base::count;
  using Base::create;
  using Base::delete_;
  using Base::earliest;
  using Base::exists;
  using Base::explain;
  using Base::first;
  using Base::get;
  using Base::get_or_create;
  using Base::in_bulk;
  using Base::iterator;
  using Base::last;
  using Base::latest;
  using Base::list;
  using Base::update;
  using Base::update_or_create;
  using Base::operator co_await;

  operator QuerySet<T>() const { return all(); }
};

template <class T> Manager<T> Model<T>::objects{};

} // namespace aorm
