/* app_unresolved — deliberately wrong: calls a function nothing defines, so
 * the loader's dlopen fails and must say which symbol is missing. */
int capsim_test_symbol_nobody_defines(void);

int main(void)
{
    return capsim_test_symbol_nobody_defines();
}
