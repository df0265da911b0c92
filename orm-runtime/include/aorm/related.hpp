// Related managers, as Django's related_descriptors.py: the objects on the other side of a
// relation, as a QuerySet that also adds, removes and creates links.
//
//   aorm::related(post, &Comment::post)  comments of a post (reverse foreign key; Django's
//                                        post.comment_set)
//   aorm::related(post, &Post::tags)     tags of a post (many-to-many; post.tags)
//   aorm::related(tag, &Post::tags)      posts of a tag (many-to-many backwards; tag.post_set)
//
// A manager is a QuerySet<Child> (every builder and terminal) plus create/add/remove/clear/set
// and their a-twins. When prefetch_related() loaded the relation, it starts with that result
// cache, so iterating, count() and exists() run no query (as in Django).
#pragma once

#include "aorm/async.hpp"
#include "aorm/db.hpp"
#include "aorm/detail/state.hpp"
#include "aorm/guard.hpp"
#include "aorm/intent.hpp"
#include "aorm/model.hpp"
#include "aorm/queryset.hpp"
#include "aorm/task.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace aorm {

namespace detail {
inline std::string reverse_name(const ModelMeta &child) {
  std::string s = child.name;
  for (auto &c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s + "_set";
}
template <class T> std::int64_t saved_id(const T &obj, const char *what) {
  if (obj.id == 0)
    throw Error(std::string(what) + ": the " + meta_of<T>().name +
                " object needs to be saved (a non-zero id) before this relationship can be used");
  return obj.id;
}
template <class T, class U> std::vector<std::int64_t> ids_of_saved(const std::vector<U> &objs) {
  std::vector<std::int64_t> ids;
  for (auto &o : objs)
    ids.push_back(saved_id<T>(o, "related manager"));
  return ids;
}
} // namespace detail

// The children of one parent through the foreign key `Child::<fk>` (Django's reverse manager).
template <class Child> class AORM_LAZY RelatedManager : public QuerySet<Child> {
  using Base = QuerySet<Child>;

public:
  RelatedManager(Base filtered, const FieldMeta *fk, std::int64_t parent)
      : Base(std::move(filtered)), fk_(fk), parent_(parent) {}

  // The children; keeps the prefetched result cache, as Django's manager.all() does.
  QuerySet<Child> all() const { return *this; }

  // INSERT obj with its foreign key set to the parent.
  AORM_BLOCKING("acreate") Child create(Child obj) const {
    guard_sync("RelatedManager::create");
    fk_->set(&obj, Value(parent_));
    return Base::create(std::move(obj));
  }
  AORM_ASYNC_TWIN("create") Task<Child> acreate(Child obj) const {
    return sync_to_async([self = *this, obj] { return self.create(obj); });
  }

  // Point the saved objects at the parent (one UPDATE, as Django's bulk add).
  AORM_BLOCKING("aadd") void add(const std::vector<Child> &objs) const {
    guard_sync("RelatedManager::add");
    detail::set_foreign_key(meta_of<Child>(), *fk_, detail::ids_of_saved<Child>(objs), parent_, 0);
  }
  AORM_ASYNC_TWIN("add") Task<void> aadd(std::vector<Child> objs) const {
    return sync_to_async([self = *this, objs] { self.add(objs); });
  }

  // Set the foreign key of these children to NULL; an object of another parent is an error.
  AORM_BLOCKING("aremove") void remove(const std::vector<Child> &objs) const {
    guard_sync("RelatedManager::remove");
    auto ids = detail::ids_of_saved<Child>(objs);
    std::int64_t n = 0;
    atomic([&] {
      n = detail::set_foreign_key(meta_of<Child>(), *fk_, ids, 0, parent_);
      if (n != static_cast<std::int64_t>(ids.size()))
        throw DoesNotExist("remove(): some " + meta_of<Child>().name + " objects are not related "
                           "to " + fk_->related().name + " " + std::to_string(parent_));
    });
  }
  AORM_ASYNC_TWIN("remove") Task<void> aremove(std::vector<Child> objs) const {
    return sync_to_async([self = *this, objs] { self.remove(objs); });
  }

  // Set the foreign key of every child to NULL.
  AORM_BLOCKING("aclear") void clear() const {
    guard_sync("RelatedManager::clear");
    detail::set_foreign_key(meta_of<Child>(), *fk_, {}, 0, parent_);
  }
  AORM_ASYNC_TWIN("clear") Task<void> aclear() const {
    return sync_to_async([self = *this] { self.clear(); });
  }

  // Make exactly these objects the children: remove the others, add the missing.
  AORM_BLOCKING("aset") void set(const std::vector<Child> &objs) const {
    guard_sync("RelatedManager::set");
    auto ids = detail::ids_of_saved<Child>(objs);
    atomic([&] {
      std::vector<std::int64_t> gone;
      for (auto &row : Base(Base::state()).values_list("id").list()) {
        std::int64_t id = row[0].as_int();
        if (std::find(ids.begin(), ids.end(), id) == ids.end())
          gone.push_back(id);
      }
      if (!gone.empty())
        detail::set_foreign_key(meta_of<Child>(), *fk_, gone, 0, parent_);
      detail::set_foreign_key(meta_of<Child>(), *fk_, ids, parent_, 0);
    });
  }
  AORM_ASYNC_TWIN("set") Task<void> aset(std::vector<Child> objs) const {
    return sync_to_async([self = *this, objs] { self.set(objs); });
  }

  // get_or_create / update_or_create among the children; a created one belongs to the parent.
  AORM_BLOCKING("aget_or_create")
  std::pair<Child, bool> get_or_create(Q q, Child defaults = {}) const {
    fk_->set(&defaults, Value(parent_));
    return Base::get_or_create(std::move(q), std::move(defaults));
  }
  AORM_ASYNC_TWIN("get_or_create")
  Task<std::pair<Child, bool>> aget_or_create(Q q, Child defaults = {}) const {
    return sync_to_async([self = *this, q, defaults] { return self.get_or_create(q, defaults); });
  }
  AORM_BLOCKING("aupdate_or_create")
  std::pair<Child, bool>
  update_or_create(Q q, Assignments defaults = {},
                   std::optional<Assignments> create_defaults = std::nullopt) const {
    Assignments create = create_defaults ? *create_defaults : defaults;
    create.push_back(Assignment{fk_->name, Expr(parent_)});
    return Base::update_or_create(std::move(q), std::move(defaults), std::move(create));
  }
  AORM_ASYNC_TWIN("update_or_create")
  Task<std::pair<Child, bool>>
  aupdate_or_create(Q q, Assignments defaults = {},
                    std::optional<Assignments> create_defaults = std::nullopt) const {
    return sync_to_async([self = *this, q, defaults, create_defaults] {
      return self.update_or_create(q, defaults, create_defaults);
    });
  }

private:
  const FieldMeta *fk_;
  std::int64_t parent_;
};

// The objects linked to one object through a many-to-many through table, either direction.
template <class Other> class AORM_LAZY ManyRelatedManager : public QuerySet<Other> {
  using Base = QuerySet<Other>;

public:
  ManyRelatedManager(detail::ThroughFilter links, Base all)
      : Base(std::move(all)), links_(std::move(links)) {}

  // The linked objects; keeps the prefetched result cache, as Django's manager.all() does.
  QuerySet<Other> all() const { return *this; }

  // Link the saved objects (links that exist already are kept, not doubled).
  AORM_BLOCKING("aadd") void add(const std::vector<Other> &objs) const {
    guard_sync("ManyRelatedManager::add");
    detail::link(links_, detail::ids_of_saved<Other>(objs));
  }
  AORM_ASYNC_TWIN("add") Task<void> aadd(std::vector<Other> objs) const {
    return sync_to_async([self = *this, objs] { self.add(objs); });
  }
  AORM_BLOCKING("aremove") void remove(const std::vector<Other> &objs) const {
    guard_sync("ManyRelatedManager::remove");
    detail::unlink(links_, detail::ids_of_saved<Other>(objs), false);
  }
  AORM_ASYNC_TWIN("remove") Task<void> aremove(std::vector<Other> objs) const {
    return sync_to_async([self = *this, objs] { self.remove(objs); });
  }
  AORM_BLOCKING("aclear") void clear() const {
    guard_sync("ManyRelatedManager::clear");
    detail::unlink(links_, {}, true);
  }
  AORM_ASYNC_TWIN("clear") Task<void> aclear() const {
    return sync_to_async([self = *this] { self.clear(); });
  }
  // Exactly these links afterwards.
  AORM_BLOCKING("aset") void set(const std::vector<Other> &objs) const {
    guard_sync("ManyRelatedManager::set");
    auto ids = detail::ids_of_saved<Other>(objs);
    atomic([&] {
      detail::unlink(links_, {}, true);
      detail::link(links_, ids);
    });
  }
  AORM_ASYNC_TWIN("set") Task<void> aset(std::vector<Other> objs) const {
    return sync_to_async([self = *this, objs] { self.set(objs); });
  }
  // INSERT obj and link it.
  AORM_BLOCKING("acreate") Other create(Other obj) const {
    guard_sync("ManyRelatedManager::create");
    return atomic([&] {
      Other made = Base::create(std::move(obj));
      detail::link(links_, {made.id});
      return made;
    });
  }
  AORM_ASYNC_TWIN("create") Task<Other> acreate(Other obj) const {
    return sync_to_async([self = *this, obj] { return self.create(obj); });
  }
  // Among the linked objects only, as Django: when none matches, a new object is created and
  // linked, even if an unlinked one would match.
  AORM_BLOCKING("aget_or_create")
  std::pair<Other, bool> get_or_create(Q q, Other defaults = {}) const {
    guard_sync("ManyRelatedManager::get_or_create");
    return atomic([&] {
      auto found = Base::filter(q).first();
      if (found)
        return std::pair<Other, bool>(std::move(*found), false);
      // none(): nothing is found, so the QuerySet creates from q's exact lookups and defaults.
      auto made = QuerySet<Other>().none().get_or_create(q, std::move(defaults));
      detail::link(links_, {made.first.id});
      return made;
    });
  }
  AORM_ASYNC_TWIN("get_or_create")
  Task<std::pair<Other, bool>> aget_or_create(Q q, Other defaults = {}) const {
    return sync_to_async([self = *this, q, defaults] { return self.get_or_create(q, defaults); });
  }
  AORM_BLOCKING("aupdate_or_create")
  std::pair<Other, bool>
  update_or_create(Q q, Assignments defaults = {},
                   std::optional<Assignments> create_defaults = std::nullopt) const {
    guard_sync("ManyRelatedManager::update_or_create");
    return atomic([&] {
      if (Base::filter(q).exists())
        return Base::update_or_create(q, defaults);
      auto made = QuerySet<Other>().none().update_or_create(q, defaults, create_defaults);
      detail::link(links_, {made.first.id});
      return made;
    });
  }
  AORM_ASYNC_TWIN("update_or_create")
  Task<std::pair<Other, bool>>
  aupdate_or_create(Q q, Assignments defaults = {},
                    std::optional<Assignments> create_defaults = std::nullopt) const {
    return sync_to_async([self = *this, q, defaults, create_defaults] {
      return self.update_or_create(q, defaults, create_defaults);
    });
  }

private:
  detail::ThroughFilter links_;
};

namespace detail {
template <class T> QuerySet<T> with_prefetched(QuerySet<T> qs, std::shared_ptr<const void> list) {
  if (list)
    qs.adopt_cache(std::static_pointer_cast<const std::vector<T>>(std::move(list)));
  return qs;
}
} // namespace detail

// The reverse foreign key manager: the Child rows whose `fk` is parent.
template <class Parent, class Child, OnDelete D>
RelatedManager<Child> related(const Parent &parent, ForeignKey<Parent, D> Child::*fk) {
  std::int64_t id = detail::saved_id(parent, "related()");
  const ModelMeta &child = meta_of<Child>();
  const FieldMeta *f = nullptr;
  std::apply(
      [&](auto... p) {
        (
            [&] {
              if constexpr (std::is_same_v<decltype(p.second), ForeignKey<Parent, D> Child::*>)
                if (!f && p.second == fk)
                  f = child.find(p.first);
            }(),
            ...);
      },
      aorm_model_fields(static_cast<const Child *>(nullptr)));
  if (!f)
    throw FieldError(child.name + ": the foreign key passed to related() is not registered");
  QuerySet<Child> qs = QuerySet<Child>().filter(Q(f->name, id));
  return RelatedManager<Child>(
      detail::with_prefetched(std::move(qs), parent.prefetched(detail::reverse_name(child))), f,
      id);
}

// A many-to-many manager: forward (obj is the model that declares `rel`) or backwards (obj is
// the target). For a relation to the same model it is forward.
template <class Obj, class Owner, class Target>
auto related(const Obj &obj, ManyToMany<Target> Owner::*rel) {
  static_assert(std::is_same_v<Obj, Owner> || std::is_same_v<Obj, Target>,
                "related(obj, &Owner::m2m): obj must be an Owner or a Target");
  std::int64_t id = detail::saved_id(obj, "related()");
  const ModelMeta &owner = meta_of<Owner>();
  const ManyToManyMeta *r = nullptr;
  std::apply(
      [&](auto... p) {
        (
            [&] {
              if constexpr (std::is_same_v<decltype(p.second), ManyToMany<Target> Owner::*>)
                if (!r && p.second == rel)
                  r = owner.find_many_to_many(p.first);
            }(),
            ...);
      },
      aorm_model_fields(static_cast<const Owner *>(nullptr)));
  if (!r)
    throw FieldError(owner.name + ": the many-to-many passed to related() is not registered");
  if constexpr (std::is_same_v<Obj, Owner>) {
    detail::ThroughFilter links{r->through, r->source, r->target_column(), id};
    detail::QueryState s = QuerySet<Target>().state();
    s.through.push_back(links);
    return ManyRelatedManager<Target>(
        links, detail::with_prefetched(QuerySet<Target>(std::move(s)), obj.prefetched(r->name)));
  } else {
    detail::ThroughFilter links{r->through, r->target_column(), r->source, id};
    detail::QueryState s = QuerySet<Owner>().state();
    s.through.push_back(links);
    return ManyRelatedManager<Owner>(
        links, detail::with_prefetched(QuerySet<Owner>(std::move(s)),
                                       obj.prefetched(detail::reverse_name(owner))));
  }
}

} // namespace aorm
