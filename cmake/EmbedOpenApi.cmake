# Script mode: writes OUT, a C++ file defining OpenApiJson() with the contents of IN.
file(READ ${IN} document)
set(body "#include \"http/openapi_json.h\"\n\nnamespace compliance {\n\n")
string(APPEND body "const std::string& OpenApiJson() {\n")
string(APPEND body "  static const std::string kDocument = R\"openapi_json(${document})openapi_json\";\n")
string(APPEND body "  return kDocument;\n}\n\n}  // namespace compliance\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
