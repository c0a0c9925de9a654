/* app_plain.c — a shared object with main but built WITHOUT libcapsim:
 * the loader must refuse it with a message saying so. */
int main(void);
int main(void)
{
    return 0;
}
