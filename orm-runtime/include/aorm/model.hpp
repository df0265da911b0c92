// Models: plain structs registered with AORM_MODEL, their run-time metadata, foreign keys, the CRTP
// base aorm::Model<T> (objects, save, delete_, refresh_from_db) and typed filters on member
// pointers.
#pragma once

#include "aorm/async.hpp"
#include "aorm/guard.hpp"
#include "aorm/intent.hpp"
#include "aorm/query.hpp"
#include "aorm/task.hpp"
#include "aorm/value.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <utility>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

namespace aorm {

enum class FieldType { Integer, Real, Text, Bool, DateTime, ForeignKey };
const char *field_type_name(FieldType t) noexcept;

// What deleting a foreign key's target does to the rows that reference it (Django's on_delete).
enum class OnDelete {
  Cascade,  // delete them too
  Protect,  // refuse: ProtectedError
  Restrict, // refuse unless they are deleted by a cascade of the same delete(): RestrictedError
  SetNull,  // set their foreign key to NULL
};

// What delete() removed: the total and the rows per model ("Post": 2), as Django's
// (total, {label: count}); models with no row deleted are left out.
struct DeleteResult {
  std::int64_t total = 0;
  std::map<std::string, std::int64_t> per_model;
};

struct ModelMeta;

// One registered field. get/set are the only code that touches the C++ object; everything else
// (SQL, rows, checks) works on this description.
struct FieldMeta {
  std::string name;   // C++ member name, used in lookups
  std::string column; // SQL column: the name, or "<name>_id" for a foreign key
  FieldType type = FieldType::Integer;
  bool nullable = false;
  const ModelMeta &(*related)() = nullptr; // ForeignKey: the target model
  OnDelete on_delete = OnDelete::Cascade;  // ForeignKey
  std::function<Value(const void *)> get;
  std::function<void(void *, const Value &)> set;
  std::function<void(void *, std::shared_ptr<const void>)> set_cached; // ForeignKey only
  std::function<bool(const void *)> is_cached;                         // ForeignKey only
};

// A ManyToMany<T> member: no column, a through table `<table>_<name>` (id, <source>, <target>)
// with one row per link; both foreign keys cascade on delete.
struct ManyToManyMeta {
  std::string name;    // C++ member name, used in prefetch_related and messages
  std::string through; // the through table
  std::string source;  // its column for this model's id ("post_id"; "from_post_id" if self)
  std::string target;  // its column for the target's id ("to_post_id" if self; else empty)
  const ModelMeta &(*related)() = nullptr;
  std::string target_column() const; // `target`, or "<target table>_id"
};

struct ModelMeta {
  std::string name;  // C++ type name, used in messages
  std::string table; // SQL table
  std::vector<FieldMeta> fields;
  std::vector<ManyToManyMeta> many_to_many;
  std::size_t pk = 0; // index of the "id" field
  std::shared_ptr<void> (*make)() = nullptr;
  std::function<std::map<std::string, Value> &(void *)> annotations;
  // prefetch_related results of one object: relation name -> std::vector<Target> (type-erased).
  std::function<std::map<std::string, std::shared_ptr<const void>> &(void *)> prefetched;
  // A std::vector<T> of copies of the given objects (of this model), type-erased.
  std::shared_ptr<const void> (*make_list)(const std::vector<std::shared_ptr<void>> &) = nullptr;
  const ManyToManyMeta *find_many_to_many(std::string_view name) const noexcept;

  // By name; also "pk" (the primary key) and "<fk>_id" (a foreign key's id, no join).
  const FieldMeta *find(std::string_view field) const noexcept;
  bool is_attname(std::string_view field) const noexcept; // "<fk>_id" naming a foreign key
  // Throws FieldError naming the model, the field and the fields it has.
  const FieldMeta &field(std::string_view field) const;
  const FieldMeta &pk_field() const { return fields[pk]; }
};

template <class T> class Manager;
template <class T> class QuerySet;

namespace detail {
// Implemented in the runtime library (src/); the templates below only forward to these.
std::shared_ptr<void> fetch_by_pk(const ModelMeta &m, std::int64_t id);
void save_object(const ModelMeta &m, void *obj);
DeleteResult delete_object(const ModelMeta &m, void *obj);
void refresh_object(const ModelMeta &m, void *obj);
void finish_meta(ModelMeta &m); // checks the "id" primary key; throws FieldError
// Every model whose metadata was built, so delete() can find the foreign keys pointing at a model.
const ModelMeta &register_model(const ModelMeta &m);
std::vector<const ModelMeta *> registered_models();
} // namespace detail

// The metadata of a registered model (found through AORM_MODEL's ADL hook).
template <class T> const ModelMeta &meta_of() {
  return aorm_model_meta(static_cast<const T *>(nullptr));
}

// A many-to-one reference, stored as the target's id ("<name>_id" column, NULL when 0).
// select_related()/prefetch_related() fill the cached target so get() needs no query.
// `D` is what deleting the target does to this row (Django's on_delete; CASCADE by default).
template <class T, OnDelete D = OnDelete::Cascade> class ForeignKey {
public:
  ForeignKey() = default;
  ForeignKey(std::int64_t id) : id_(id) {}
  ForeignKey(const T &target) : id_(target.id), cached_(std::make_shared<const T>(target)) {}

  std::int64_t id() const noexcept { return id_; }
  bool is_set() const noexcept { return id_ != 0; }
  bool is_loaded() const noexcept { return cached_ != nullptr; }
  void reset(std::int64_t id) {
    id_ = id;
    cached_.reset();
  }

  // The target; queries the database unless it was loaded already.
  AORM_BLOCKING("aget") T get() const {
    if (cached_)
      return *cached_;
    guard_sync("ForeignKey::get");
    cached_ = std::static_pointer_cast<const T>(detail::fetch_by_pk(meta_of<T>(), id_));
    return *cached_;
  }
  AORM_ASYNC_TWIN("get") Task<T> aget() const {
    if (cached_)
      co_return *cached_;
    std::int64_t id = id_;
    // A named Task: g++-12 mishandles lambda temporaries inside a co_await expression.
    auto fetch = sync_to_async(
        [id] { return std::static_pointer_cast<const T>(detail::fetch_by_pk(meta_of<T>(), id)); });
    auto loaded = co_await std::move(fetch);
    cached_ = loaded;
    co_return *loaded;
  }

  // The cache slot; the runtime fills it from joined or prefetched rows.
  void set_cached(std::shared_ptr<const T> target) { cached_ = std::move(target); }

private:
  std::int64_t id_ = 0;
  mutable std::shared_ptr<const T> cached_;
};

// A many-to-many relation: `aorm::ManyToMany<Tag> tags;` in Post, registered in AORM_MODEL like a
// field. It has no column and holds nothing; aorm::related(post, &Post::tags) is its manager
// and aorm::related(tag, &Post::tags) the reverse one (see <aorm/related.hpp>).
template <class T> class ManyToMany {
public:
  using target_type = T;
};

// Base of every model: `struct Post : aorm::Model<Post> { std::int64_t id = 0; ... };`
template <class T> class Model {
public:
  static Manager<T> objects;

  // INSERT when id is 0 (then id is set), else UPDATE (INSERT if the row is gone).
  AORM_BLOCKING("asave") void save() {
    guard_sync("Model::save");
    detail::save_object(meta_of<T>(), self());
  }
  AORM_ASYNC_TWIN("save") Task<void> asave() {
    // The work runs on a copy, assigned back once it is done: on PostgreSQL the terminal may run
    // more than once (one pass per query, see detail::db_call) and must start from the same state.
    T *obj = self();
    auto job = [obj] {
      T copy = *obj;
      detail::save_object(meta_of<T>(), &copy);
      return copy;
    };
    return detail::assign_after(obj, detail::db_call(job));
  }
  // DELETE this row and what its on_delete rules take along; id becomes 0.
  AORM_BLOCKING("adelete") DeleteResult delete_() {
    guard_sync("Model::delete_");
    return detail::delete_object(meta_of<T>(), self());
  }
  AORM_ASYNC_TWIN("delete_") Task<DeleteResult> adelete() {
    T *obj = self();
    auto job = [obj] {
      T copy = *obj;
      DeleteResult r = detail::delete_object(meta_of<T>(), &copy);
      return std::pair<DeleteResult, T>(std::move(r), std::move(copy));
    };
    return detail::assign_after(obj, detail::db_call(job));
  }
  // Reload every field from the database (DoesNotExist if the row is gone).
  AORM_BLOCKING("arefresh_from_db") void refresh_from_db() {
    guard_sync("Model::refresh_from_db");
    detail::refresh_object(meta_of<T>(), self());
  }
  AORM_ASYNC_TWIN("refresh_from_db") Task<void> arefresh_from_db() {
    T *obj = self();
    auto job = [obj] {
      T copy = *obj;
      detail::refresh_object(meta_of<T>(), &copy);
      return copy;
    };
    return detail::assign_after(obj, detail::db_call(job));
  }

  // A value that annotate() computed for this object; FieldError when there is none.
  const Value &annotation(std::string_view name) const;
  const std::map<std::string, Value> &annotations() const noexcept { return annotations_; }

  // What prefetch_related stored for `relation` (a std::vector of the related model), or null.
  std::shared_ptr<const void> prefetched(const std::string &relation) const {
    auto it = prefetched_.find(relation);
    return it == prefetched_.end() ? nullptr : it->second;
  }

private:
  friend std::map<std::string, Value> &model_annotations(Model &m) { return m.annotations_; }
  friend std::map<std::string, std::shared_ptr<const void>> &model_prefetched(Model &m) {
    return m.prefetched_;
  }
  T *self() { return static_cast<T *>(this); }
  std::map<std::string, Value> annotations_;
  std::map<std::string, std::shared_ptr<const void>> prefetched_;
};

namespace detail {
[[noreturn]] void throw_no_annotation(const ModelMeta &m, std::string_view name,
                                      const std::map<std::string, Value> &have);

[[noreturn]] void throw_int_out_of_range(std::int64_t value, long long min, unsigned long long max,
                                         std::size_t bytes, bool is_signed);

template <class M> struct field_traits; // C++ member type -> column description
template <class M>
requires(std::is_integral_v<M> && !std::is_same_v<M, bool>) struct field_traits<M> {
  static constexpr FieldType type = FieldType::Integer;
  using value_type = M;
  static Value get(const M &m) { return Value(m); }
  // A stored integer that the member's type cannot hold is an error, never a wrapped value.
  static void set(M &m, const Value &v) {
    std::int64_t i = v.as_int();
    if (!std::in_range<M>(i))
      throw_int_out_of_range(i, std::numeric_limits<M>::min(), std::numeric_limits<M>::max(),
                             sizeof(M), std::is_signed_v<M>);
    m = static_cast<M>(i);
  }
};
template <> struct field_traits<bool> {
  static constexpr FieldType type = FieldType::Bool;
  using value_type = bool;
  static Value get(bool m) { return Value(m); }
  static void set(bool &m, const Value &v) { m = v.as_bool(); }
};
template <class M>
requires std::is_floating_point_v<M>
struct field_traits<M> {
  static constexpr FieldType type = FieldType::Real;
  using value_type = M;
  static Value get(M m) { return Value(m); }
  static void set(M &m, const Value &v) { m = static_cast<M>(v.as_double()); }
};
template <> struct field_traits<std::string> {
  static constexpr FieldType type = FieldType::Text;
  using value_type = std::string;
  static Value get(const std::string &m) { return Value(m); }
  static void set(std::string &m, const Value &v) { m = v.as_string(); }
};
template <> struct field_traits<DateTime> {
  static constexpr FieldType type = FieldType::DateTime;
  using value_type = DateTime;
  static Value get(DateTime m) { return Value(m); }
  static void set(DateTime &m, const Value &v) { m = v.as_datetime(); }
};
template <class X> struct field_traits<std::optional<X>> {
  static constexpr FieldType type = field_traits<X>::type;
  using value_type = typename field_traits<X>::value_type;
  static Value get(const std::optional<X> &m) { return m ? field_traits<X>::get(*m) : Value(); }
  static void set(std::optional<X> &m, const Value &v) {
    if (v.is_null()) {
      m.reset();
    } else {
      X x{};
      field_traits<X>::set(x, v);
      m = std::move(x);
    }
  }
};
template <class X, OnDelete D> struct field_traits<ForeignKey<X, D>> {
  static constexpr FieldType type = FieldType::ForeignKey;
  static constexpr OnDelete on_delete = D;
  using value_type = std::int64_t;
  static Value get(const ForeignKey<X, D> &m) { return m.is_set() ? Value(m.id()) : Value(); }
  static void set(ForeignKey<X, D> &m, const Value &v) { m.reset(v.is_null() ? 0 : v.as_int()); }
};

template <class P> struct member_type;
template <class C, class M> struct member_type<M C::*> {
  using type = M;
};

template <class M> inline constexpr bool is_many_to_many_v = false;
template <class X> inline constexpr bool is_many_to_many_v<ManyToMany<X>> = true;

template <class T, class X>
ManyToManyMeta make_many_to_many(const char *table, const char *name, ManyToMany<X> T::*) {
  ManyToManyMeta r;
  r.name = name;
  r.through = std::string(table) + "_" + name;
  r.related = &meta_of<X>;
  if constexpr (std::is_same_v<T, X>) {
    r.source = std::string("from_") + table + "_id";
    r.target = std::string("to_") + table + "_id";
  } else {
    r.source = std::string(table) + "_id";
    r.target = ""; // "<target table>_id", read lazily: the target's metadata may not exist yet
  }
  return r;
}

template <class M> inline constexpr bool is_optional_v = false;
template <class X> inline constexpr bool is_optional_v<std::optional<X>> = true;

[[noreturn]] void rethrow_naming_field(const std::string &model, const std::string &field);

template <class T, class M>
FieldMeta make_field(const char *model, const char *name, M T::*member) {
  using Tr = field_traits<M>;
  FieldMeta f;
  f.name = name;
  f.type = Tr::type;
  f.column = Tr::type == FieldType::ForeignKey ? f.name + "_id" : f.name;
  f.nullable = is_optional_v<M> || Tr::type == FieldType::ForeignKey;
  f.get = [member, model, name](const void *o) {
    try {
      return Tr::get(static_cast<const T *>(o)->*member);
    } catch (const FieldError &) {
      rethrow_naming_field(model, name); // e.g. a uint64_t above INT64_MAX
    }
  };
  f.set = [member](void *o, const Value &v) { Tr::set(static_cast<T *>(o)->*member, v); };
  if constexpr (Tr::type == FieldType::ForeignKey) {
    using Target = std::remove_cvref_t<decltype(std::declval<M>().get())>;
    f.related = &meta_of<Target>;
    f.on_delete = Tr::on_delete;
    f.set_cached = [member](void *o, std::shared_ptr<const void> p) {
      (static_cast<T *>(o)->*member).set_cached(std::static_pointer_cast<const Target>(p));
    };
    f.is_cached = [member](const void *o) {
      return (static_cast<const T *>(o)->*member).is_loaded();
    };
  }
  return f;
}

template <class T, class... Ms>
ModelMeta build_meta(const char *name, const char *table,
                     std::tuple<std::pair<const char *, Ms>...> members) {
  ModelMeta m;
  m.name = name;
  m.table = table;
  std::apply(
      [&](auto... p) {
        (
            [&] {
              using Member = typename member_type<decltype(p.second)>::type;
              if constexpr (is_many_to_many_v<Member>)
                m.many_to_many.push_back(make_many_to_many(table, p.first, p.second));
              else
                m.fields.push_back(make_field(name, p.first, p.second));
            }(),
            ...);
      },
      members);
  m.make = [] { return std::static_pointer_cast<void>(std::make_shared<T>()); };
  m.annotations = [](void *o) -> std::map<std::string, Value> & {
    return model_annotations(*static_cast<T *>(o));
  };
  m.prefetched = [](void *o) -> std::map<std::string, std::shared_ptr<const void>> & {
    return model_prefetched(*static_cast<T *>(o));
  };
  m.make_list = [](const std::vector<std::shared_ptr<void>> &objs) -> std::shared_ptr<const void> {
    auto list = std::make_shared<std::vector<T>>();
    list->reserve(objs.size());
    for (auto &o : objs)
      list->push_back(*static_cast<const T *>(o.get()));
    return list;
  };
  finish_meta(m);
  return m;
}
} // namespace detail

template <class T> const Value &Model<T>::annotation(std::string_view name) const {
  auto it = annotations_.find(std::string(name));
  if (it == annotations_.end())
    detail::throw_no_annotation(meta_of<T>(), name, annotations_);
  return it->second;
}

// Typed filters on member pointers: aorm::field(&Post::views) >= 10,
// field(&Post::title).contains("x"). The operand type is the member's, so a wrong type does not
// compile.
template <class T, class M> class FieldRef {
public:
  using V = typename detail::field_traits<M>::value_type;
  explicit FieldRef(std::string name) : name_(std::move(name)) {}
  const std::string &name() const noexcept { return name_; }

  friend Q operator==(const FieldRef &f, const V &v) { return Q(f.name_, Value(v)); }
  friend Q operator!=(const FieldRef &f, const V &v) { return ~Q(f.name_, Value(v)); }
  friend Q operator<(const FieldRef &f, const V &v) { return Q(f.name_ + "__lt", Value(v)); }
  friend Q operator<=(const FieldRef &f, const V &v) { return Q(f.name_ + "__lte", Value(v)); }
  friend Q operator>(const FieldRef &f, const V &v) { return Q(f.name_ + "__gt", Value(v)); }
  friend Q operator>=(const FieldRef &f, const V &v) { return Q(f.name_ + "__gte", Value(v)); }
  Q in(const std::vector<V> &vs) const { return Q(name_ + "__in", vs); }
  Q range(const V &lo, const V &hi) const {
    return Q::list(name_ + "__range", {Value(lo), Value(hi)});
  }
  Q isnull(bool yes = true) const { return Q(name_ + "__isnull", yes); }
  Q iexact(const std::string &s) const { return Q(name_ + "__iexact", s); }
  Q contains(const std::string &s) const { return Q(name_ + "__contains", s); }
  Q icontains(const std::string &s) const { return Q(name_ + "__icontains", s); }
  Q startswith(const std::string &s) const { return Q(name_ + "__startswith", s); }
  Q endswith(const std::string &s) const { return Q(name_ + "__endswith", s); }
  // As an expression: field(&Post::views) + 1.
  operator Expr() const { return F(name_); }

private:
  std::string name_;
};

template <class T, class M> FieldRef<T, M> field(M T::*member) {
  const char *found = nullptr;
  std::apply(
      [&](auto... p) {
        (
            [&] {
              if constexpr (std::is_same_v<decltype(p.second), M T::*>)
                if (!found && p.second == member)
                  found = p.first;
            }(),
            ...);
      },
      aorm_model_fields(static_cast<const T *>(nullptr)));
  if (!found)
    throw FieldError(meta_of<T>().name +
                     ": member pointer is not a registered field (add it to AORM_MODEL)");
  return FieldRef<T, M>(found);
}

} // namespace aorm

// Registration, one line after the struct: AORM_MODEL(Post, "post", id, title, views, author)
// Generates two functions found by argument-dependent lookup: the field list (member pointers) and
// the run-time metadata built from it once.
#define AORM_PP_PARENS ()
#define AORM_PP_EXPAND(...) AORM_PP_EXPAND3(AORM_PP_EXPAND3(AORM_PP_EXPAND3(__VA_ARGS__)))
#define AORM_PP_EXPAND3(...) AORM_PP_EXPAND2(AORM_PP_EXPAND2(AORM_PP_EXPAND2(__VA_ARGS__)))
#define AORM_PP_EXPAND2(...) AORM_PP_EXPAND1(AORM_PP_EXPAND1(AORM_PP_EXPAND1(__VA_ARGS__)))
#define AORM_PP_EXPAND1(...) __VA_ARGS__
#define AORM_PP_FOR_EACH(m, T, ...)                                                                \
  __VA_OPT__(AORM_PP_EXPAND(AORM_PP_FOR_EACH_STEP(m, T, __VA_ARGS__)))
#define AORM_PP_FOR_EACH_STEP(m, T, a, ...)                                                        \
  m(T, a) __VA_OPT__(, AORM_PP_FOR_EACH_AGAIN AORM_PP_PARENS(m, T, __VA_ARGS__))
#define AORM_PP_FOR_EACH_AGAIN() AORM_PP_FOR_EACH_STEP
#define AORM_PP_MEMBER(T, f) std::pair<const char *, decltype(&T::f)>(#f, &T::f)

#define AORM_MODEL(Type, table_name, ...)                                                          \
  [[maybe_unused]] inline auto aorm_model_fields(const Type *) {                                   \
    return std::make_tuple(AORM_PP_FOR_EACH(AORM_PP_MEMBER, Type, __VA_ARGS__));                   \
  }                                                                                                \
  [[maybe_unused]] inline const ::aorm::ModelMeta &aorm_model_meta(const Type *) {                 \
    static const ::aorm::ModelMeta meta = ::aorm::detail::build_meta<Type>(                        \
        #Type, table_name, aorm_model_fields(static_cast<const Type *>(nullptr)));                 \
    static const ::aorm::ModelMeta &registered = ::aorm::detail::register_model(meta);             \
    return registered;                                                                             \
  }
