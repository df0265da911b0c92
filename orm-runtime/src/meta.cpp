// Model metadata lookups and the checks run once when a model's metadata is built.
#include "aorm/model.hpp"

#include <mutex>

namespace aorm {

const char *field_type_name(FieldType t) noexcept {
  switch (t) {
  case FieldType::Integer:
    return "integer";
  case FieldType::Real:
    return "real";
  case FieldType::Text:
    return "text";
  case FieldType::Bool:
    return "bool";
  case FieldType::DateTime:
    return "datetime";
  case FieldType::ForeignKey:
    return "foreign key";
  }
  return "?";
}

const FieldMeta *ModelMeta::find(std::string_view name) const noexcept {
  for (auto &f : fields)
    if (f.name == name)
      return &f;
  // Django's aliases: "pk" is the primary key, "<fk>_id" is a foreign key's column (attname).
  if (name == "pk")
    return &pk_field();
  if (name.size() > 3 && name.substr(name.size() - 3) == "_id")
    for (auto &f : fields)
      if (f.type == FieldType::ForeignKey && f.name == name.substr(0, name.size() - 3))
        return &f;
  return nullptr;
}

const ManyToManyMeta *ModelMeta::find_many_to_many(std::string_view name) const noexcept {
  for (auto &r : many_to_many)
    if (r.name == name)
      return &r;
  return nullptr;
}

std::string ManyToManyMeta::target_column() const {
  return target.empty() ? related().table + "_id" : target;
}

bool ModelMeta::is_attname(std::string_view name) const noexcept {
  if (name.size() <= 3 || name.substr(name.size() - 3) != "_id")
    return false;
  for (auto &f : fields)
    if (f.name == name)
      return false;
  auto *f = find(name);
  return f && f->type == FieldType::ForeignKey;
}

const FieldMeta &ModelMeta::field(std::string_view name) const {
  if (auto *f = find(name))
    return *f;
  std::string have;
  for (auto &f : fields)
    have += (have.empty() ? "" : ", ") + f.name;
  throw FieldError(this->name + " has no field '" + std::string(name) + "' (fields: " + have + ")");
}

namespace detail {

void finish_meta(ModelMeta &m) {
  auto *pk = m.find("id");
  if (!pk || pk->type != FieldType::Integer)
    throw FieldError(m.name + ": AORM_MODEL needs an integer field named 'id' (the primary key)");
  m.pk = static_cast<std::size_t>(pk - m.fields.data());
  for (std::size_t i = 0; i < m.fields.size(); ++i)
    for (std::size_t j = i + 1; j < m.fields.size(); ++j)
      if (m.fields[i].name == m.fields[j].name)
        throw FieldError(m.name + ": field '" + m.fields[i].name + "' is registered twice");
}

namespace {
struct Registry {
  std::mutex mutex;
  std::vector<const ModelMeta *> models;
};
Registry &registry() {
  static Registry r;
  return r;
}
} // namespace

const ModelMeta &register_model(const ModelMeta &m) {
  std::lock_guard lock(registry().mutex);
  registry().models.push_back(&m);
  return m;
}

std::vector<const ModelMeta *> registered_models() {
  std::lock_guard lock(registry().mutex);
  return registry().models;
}

void throw_int_out_of_range(std::int64_t value, long long min, unsigned long long max,
                            std::size_t bytes, bool is_signed) {
  throw FieldError("stored integer " + std::to_string(value) + " does not fit the field's " +
                   (is_signed ? "" : "unsigned ") + std::to_string(bytes * 8) + "-bit type (" +
                   std::to_string(min) + ".." + std::to_string(max) + ")");
}

void rethrow_naming_field(const std::string &model, const std::string &field) {
  try {
    throw;
  } catch (const FieldError &e) {
    throw FieldError(model + "." + field + ": " + e.what());
  }
}

void throw_no_annotation(const ModelMeta &m, std::string_view name,
                         const std::map<std::string, Value> &have) {
  std::string names;
  for (auto &[k, v] : have)
    names += (names.empty() ? "" : ", ") + k;
  throw FieldError(m.name + " object has no annotation '" + std::string(name) +
                   "' (annotations: " + (names.empty() ? "none" : names) + ")");
}

} // namespace detail
} // namespace aorm
