// Models with every kind of relation, for the related-manager and on_delete suites: a reverse
// foreign key (Comment.post), a many-to-many (Post-like Article.tags), one to itself
// (Person.friends), and each on_delete rule.
#pragma once

#include "orm_fixture.hpp"

namespace ormtest {

struct Tag : aorm::Model<Tag> {
  std::int64_t id = 0;
  std::string name;
};
AORM_MODEL(Tag, "tag", id, name)

struct Article : aorm::Model<Article> {
  std::int64_t id = 0;
  std::string headline;
  aorm::ForeignKey<Author> author;
  aorm::ManyToMany<Tag> tags;
};
AORM_MODEL(Article, "article", id, headline, author, tags)

struct Comment : aorm::Model<Comment> {
  std::int64_t id = 0;
  std::string text;
  aorm::ForeignKey<Article> article;
  aorm::ForeignKey<Author, aorm::OnDelete::SetNull> by;
};
AORM_MODEL(Comment, "comment", id, text, article, by)

// on_delete rules pointing at Tag.
struct Guarded : aorm::Model<Guarded> {
  std::int64_t id = 0;
  aorm::ForeignKey<Tag, aorm::OnDelete::Protect> tag;
};
AORM_MODEL(Guarded, "guarded", id, tag)

struct Pinned : aorm::Model<Pinned> {
  std::int64_t id = 0;
  aorm::ForeignKey<Tag, aorm::OnDelete::Restrict> tag;
  aorm::ForeignKey<Article> article; // cascades: deleting the article takes the pin along
};
AORM_MODEL(Pinned, "pinned", id, tag, article)

struct Person : aorm::Model<Person> {
  std::int64_t id = 0;
  std::string name;
  aorm::ManyToMany<Person> friends;
};
AORM_MODEL(Person, "person", id, name, friends)

inline void migrate_related() {
  aorm::migrate<Author, Post, Tag, Article, Comment, Guarded, Pinned, Person>();
}

} // namespace ormtest
