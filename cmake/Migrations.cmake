# Embeds migrations/*.sql into the server binary, so a deployed binary carries its own schema.
file(GLOB MIGRATION_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/migrations/*.sql)
list(SORT MIGRATION_FILES)
string(REPLACE ";" "|" MIGRATION_FILE_LIST "${MIGRATION_FILES}")  # survives the shell
set(MIGRATIONS_CPP ${PROJECT_BINARY_DIR}/generated/embedded_migrations.cpp)
add_custom_command(
  OUTPUT ${MIGRATIONS_CPP}
  COMMAND ${CMAKE_COMMAND} -DOUT=${MIGRATIONS_CPP} "-DFILES=${MIGRATION_FILE_LIST}"
          -P ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
  DEPENDS ${MIGRATION_FILES} ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
  COMMENT "embedding migrations"
  VERBATIM)
